package ipc.macos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.Fcntl;
import ipc.macos.jna.LibC;
import ipc.macos.jna.LibCVariadic;

/**
 * No POSIX shared memory name outlives the segment it named: the names are replayed from the same seeded source
 * {@link SharedMemory#create(long, Random)} drew them from, and each must be gone ({@code shm_open} without
 * {@code O_CREAT} fails with {@code ENOENT}) once the segment exists, and after the creating process was killed
 * with SIGKILL in the middle of creating them (at most the one name between its {@code shm_open} and
 * {@code shm_unlink} may survive such a kill: the documented window). macOS only (the CI workflow's macOS job).
 */
@EnabledOnOs(OS.MAC)
class ShmNameLifetimeTest
{
    private static final long SIZE = 16_384;

    @Test
    void shouldLeaveNoNameOnceASegmentIsCreated() throws Exception
    {
        final long seed = System.nanoTime();
        final Random creator = new Random(seed);
        final Random replay = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            final int fd = SharedMemory.create(SIZE, creator);
            try
            {
                final String name = ShmNames.next(replay);
                assertEquals(Errno.ENOENT, openExisting(name), "name still in the namespace: name=" + name +
                    " seed=" + seed);
            }
            finally
            {
                Posix.closeQuietly(fd);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldLeaveAtMostTheNameBeingCreatedWhenTheCreatorIsKilled() throws Exception
    {
        final long seed = System.nanoTime();
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            ShmCreatorMain.class.getName(), Long.toString(seed));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        int created = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while (created < 2_000 && null != (line = out.readLine()))
            {
                if (line.startsWith("created "))
                {
                    created = Integer.parseInt(line.substring("created ".length()));
                }
            }
            assertTrue(created >= 2_000, "the creator stopped early: created=" + created);
            // SIGKILL (Process.destroyForcibly on macOS) while it keeps creating.
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the creator did not die");
        }
        // It created at most a few thousand more between its last report and the kill: replay generously.
        final Random replay = new Random(seed);
        final List<String> survivors = new ArrayList<>();
        for (int i = 0; i < created + 200_000; i++)
        {
            final String name = ShmNames.next(replay);
            if (openExisting(name) != Errno.ENOENT)
            {
                survivors.add(name);
                LibC.shm_unlink(name);
            }
        }
        assertTrue(survivors.size() <= 1, "names outlived the process that created them: " + survivors);
    }

    /** {@code shm_open} of an existing name only: 0 if it exists (closed again), else the errno. */
    private static int openExisting(final String name) throws IpcException
    {
        final int fd = LibCVariadic.INSTANCE.shm_open(name, Fcntl.O_RDONLY, 0);
        if (fd >= 0)
        {
            Posix.closeQuietly(fd);
            return 0;
        }
        return Native.getLastError();
    }
}
