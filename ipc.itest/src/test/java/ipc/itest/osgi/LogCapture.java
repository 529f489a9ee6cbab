package ipc.itest.osgi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the ipc.osgi bundle logs. Its {@code System.Logger}s reach java.util.logging (the JDK's default
 * backend: nothing else is installed in the framework), under the class names, so a handler on the package's
 * logger sees them all.
 */
final class LogCapture implements AutoCloseable
{
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            lines.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    private LogCapture(final String loggerName)
    {
        logger = Logger.getLogger(loggerName);
        logger.addHandler(handler);
    }

    /** Starts capturing the ipc.osgi bundle's log lines. */
    static LogCapture ofIpcOsgi()
    {
        return new LogCapture("ipc.osgi");
    }

    /**
     * Waits for a line matching a condition.
     *
     * @return the line.
     * @throws AssertionError if none came in time; the message lists what was logged.
     */
    String await(final Predicate<String> condition, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            for (final String line : lines)
            {
                if (condition.test(line))
                {
                    return line;
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no such log line within " + timeout + "; logged: " + lines);
            }
            Thread.sleep(20);
        }
    }

    /** The lines captured so far that match a condition. */
    List<String> matching(final Predicate<String> condition)
    {
        return lines.stream().filter(condition).collect(java.util.stream.Collectors.toList());
    }

    @Override
    public void close()
    {
        logger.removeHandler(handler);
    }
}
