package ipc.windows.jna;

/**
 * Constants of {@code <sddl.h>} (Windows SDK, {@code shared/sddl.h}) for
 * {@code ConvertStringSecurityDescriptorToSecurityDescriptorW}.
 */
public final class Sddl
{
    /** The only SDDL revision: {@code #define SDDL_REVISION_1 1}. */
    public static final int SDDL_REVISION_1 = 1;

    /**
     * SDDL alias of the {@code LocalSystem} account ({@code S-1-5-18}): {@code #define SDDL_LOCAL_SYSTEM TEXT("SY")}.
     */
    public static final String SDDL_LOCAL_SYSTEM = "SY";

    /** SDDL access right "generic all": {@code #define SDDL_GENERIC_ALL TEXT("GA")}. */
    public static final String SDDL_GENERIC_ALL = "GA";

    /** SDDL ACE type "access allowed": {@code #define SDDL_ACCESS_ALLOWED TEXT("A")}. */
    public static final String SDDL_ACCESS_ALLOWED = "A";

    /**
     * SDDL DACL flag "protected" (no inheritable ACEs from the parent apply): {@code #define SDDL_PROTECTED TEXT("P")}.
     */
    public static final String SDDL_PROTECTED = "P";

    private Sddl()
    {
    }
}
