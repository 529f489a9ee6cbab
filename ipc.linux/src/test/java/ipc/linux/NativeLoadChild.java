package ipc.linux;

import ipc.api.IpcTransport;
import ipc.api.IpcUnsupportedPlatformException;

/** A JVM that looks up the host's transport and prints what happened: {@link NativeLoadTest}'s child. */
public final class NativeLoadChild
{
    private NativeLoadChild()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            System.out.println("CREATED " + IpcTransport.forHost().getClass().getName());
        }
        catch (final IpcUnsupportedPlatformException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
        }
        catch (final Throwable unexpected)
        {
            System.out.println("THREW " + unexpected);
        }
    }
}
