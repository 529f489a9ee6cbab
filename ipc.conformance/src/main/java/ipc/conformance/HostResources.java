package ipc.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ipc.api.IpcPlatform;

/**
 * What the suite counts to prove that a connection leaves nothing behind in this process, as far as the host lets a
 * test see it without native code of its own.
 *
 * <ul>
 *   <li>Linux: descriptors from {@code /proc/self/fd}, shared segments from the {@code memfd:} lines of
 *   {@code /proc/self/maps}.</li>
 *   <li>macOS: descriptors from {@code /dev/fd} (best effort: it lists the process's descriptors through
 *   {@code fdescfs}); segments are not counted, as there is no {@code /proc} to read the mappings from.</li>
 *   <li>Windows: the process's kernel handles ({@code GetProcessHandleCount}, through the Windows backend's
 *   {@link BackendProbe#processHandles()}: this module makes no native call of its own); a connection's section,
 *   doorbell pipe and events are handles, so a leaked one shows. Sections are not counted apart.</li>
 * </ul>
 * A check the host cannot make reads a constant zero, so "after ≤ before" holds and the test says what it skipped
 * through {@link #description()}.
 */
public abstract class HostResources
{
    private static final HostResources HOST = create();

    HostResources()
    {
    }

    /** The resources of the host this JVM runs on. */
    public static HostResources host()
    {
        return HOST;
    }

    /** This process's open file descriptors, or 0 where the host's are not counted. */
    public abstract long openDescriptors();

    /** What {@link #openDescriptors()} counts, one entry each (a target where the host tells it), sorted. */
    public abstract List<String> descriptorDetails();

    /** The shared segments this process has mapped, or 0 where the host's are not counted. */
    public long segmentMappings()
    {
        return 0;
    }

    /** The mappings {@link #segmentMappings()} counts, one per line, for a failure message; empty if none. */
    public List<String> segmentMappingDetails()
    {
        return List.of();
    }

    /** Which counts are real on this host, for the test log. */
    public abstract String description();

    private static HostResources create()
    {
        final IpcPlatform platform = IpcPlatform.fromOsName(System.getProperty("os.name", ""));
        if (IpcPlatform.LINUX == platform)
        {
            return new ProcFileSystem();
        }
        if (IpcPlatform.MACOS == platform)
        {
            return new DescriptorsOnly(Path.of("/dev/fd"));
        }
        final BackendProbe probe = BackendProbe.host();
        if (IpcPlatform.WINDOWS == platform && null != probe)
        {
            return new ProcessHandles(probe);
        }
        return new Uncounted();
    }

    private static List<String> entries(final Path directory, final boolean withTargets)
    {
        final List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory))
        {
            entries.forEach(entry ->
            {
                try
                {
                    found.add(entry.getFileName() + (withTargets ? "->" + Files.readSymbolicLink(entry) : ""));
                }
                catch (final IOException ignore)
                {
                    // Closed while listing.
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        Collections.sort(found);
        return found;
    }

    private static long countEntries(final Path directory)
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Linux: {@code /proc/self/fd} and the {@code memfd:} mappings of {@code /proc/self/maps}. */
    private static final class ProcFileSystem extends HostResources
    {
        @Override
        public long openDescriptors()
        {
            return countEntries(Path.of("/proc/self/fd"));
        }

        @Override
        public List<String> descriptorDetails()
        {
            return entries(Path.of("/proc/self/fd"), true);
        }

        @Override
        public long segmentMappings()
        {
            return segmentMappingDetails().size();
        }

        @Override
        public List<String> segmentMappingDetails()
        {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
            {
                return lines.filter(line -> line.contains("memfd:")).collect(Collectors.toList());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public String description()
        {
            return "descriptors=/proc/self/fd segments=memfd lines of /proc/self/maps";
        }
    }

    /** macOS: descriptors only, from a directory listing them. */
    private static final class DescriptorsOnly extends HostResources
    {
        private final Path descriptors;

        DescriptorsOnly(final Path descriptors)
        {
            this.descriptors = descriptors;
        }

        @Override
        public long openDescriptors()
        {
            return countEntries(descriptors);
        }

        @Override
        public List<String> descriptorDetails()
        {
            return entries(descriptors, false);
        }

        @Override
        public String description()
        {
            return "descriptors=" + descriptors + " segments=not counted";
        }
    }

    /** Windows: the process's handle count, as the backend's probe reads it. */
    private static final class ProcessHandles extends HostResources
    {
        private final BackendProbe probe;

        ProcessHandles(final BackendProbe probe)
        {
            this.probe = probe;
        }

        @Override
        public long openDescriptors()
        {
            return probe.processHandles();
        }

        @Override
        public List<String> descriptorDetails()
        {
            return List.of("handles=" + probe.processHandles());
        }

        @Override
        public String description()
        {
            return "descriptors=GetProcessHandleCount segments=not counted apart (a section is a handle)";
        }
    }

    /** Anything else (and a Windows run without the backend's probe): nothing counted. */
    private static final class Uncounted extends HostResources
    {
        @Override
        public long openDescriptors()
        {
            return 0;
        }

        @Override
        public List<String> descriptorDetails()
        {
            return List.of();
        }

        @Override
        public String description()
        {
            return "descriptors=not counted segments=not counted";
        }
    }
}
