package ipc.shared.transport;

/**
 * Validates server names: they become file names and pipe names, so they are kept to a safe alphabet.
 */
public final class Names
{
    /** Longest name. */
    public static final int MAX_LENGTH = 64;

    private Names()
    {
    }

    /**
     * Checks a name.
     *
     * @param name the name.
     * @return the name.
     * @throws IllegalArgumentException naming the value if it is not 1 to 64 characters of {@code [A-Za-z0-9._-]}
     *                                  not starting with a dot.
     */
    public static String validate(final String name)
    {
        if (null == name || name.isEmpty() || name.length() > MAX_LENGTH || name.charAt(0) == '.')
        {
            throw new IllegalArgumentException("name must be 1 to " + MAX_LENGTH +
                " characters of [A-Za-z0-9._-], not starting with '.': name=" + name);
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                throw new IllegalArgumentException("name must be 1 to " + MAX_LENGTH +
                    " characters of [A-Za-z0-9._-], not starting with '.': name=" + name + " badChar=" + c);
            }
        }
        return name;
    }
}
