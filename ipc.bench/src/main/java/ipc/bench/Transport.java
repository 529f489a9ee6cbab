package ipc.bench;

import java.nio.file.Path;

import ipc.api.IdleStrategy;

/** The transports compared, in the order each round runs them. */
enum Transport
{
    /** Raw floor probe: two longs in a mapped /dev/shm file. */
    FLOOR("raw floor", false),
    /** Ours, {@link IdleStrategy#BUSY_SPIN}. */
    OURS_SPIN("ours busy-spin", true),
    /** Ours, the default {@link IdleStrategy#SPIN_THEN_PARK}. */
    OURS_DEFAULT("ours default", true),
    /** JDK Unix domain sockets, blocking. */
    UDS("JDK UDS", true),
    /** Aeron IPC, busy-spin. */
    AERON("Aeron IPC", true);

    final String label;
    final boolean streams;

    Transport(final String label, final boolean streams)
    {
        this.label = label;
        this.streams = streams;
    }

    /**
     * Opens this transport's link in a child JVM.
     *
     * @param endpoint the endpoint: a name, socket path, Aeron directory or file, chosen by the parent.
     * @param server   which end.
     * @param ready    run by the server once clients may connect.
     * @return the link.
     * @throws Exception on failure.
     */
    Link open(final String endpoint, final boolean server, final Runnable ready) throws Exception
    {
        switch (this)
        {
            case FLOOR:
                final Link floor = FloorLink.open(Path.of(endpoint), server);
                if (server)
                {
                    ready.run();
                }
                return floor;
            case OURS_SPIN:
            case OURS_DEFAULT:
                final IdleStrategy idle = this == OURS_SPIN ? IdleStrategy.BUSY_SPIN : IdleStrategy.SPIN_THEN_PARK;
                return server ? OurLink.serve(endpoint, idle, ready) : OurLink.connect(endpoint, idle);
            case UDS:
                return server ? UdsLink.serve(Path.of(endpoint), ready) : UdsLink.connect(Path.of(endpoint));
            case AERON:
                return server ? AeronLink.serve(endpoint, ready) : AeronLink.connect(endpoint);
            default:
                throw new IllegalArgumentException("transport=" + this);
        }
    }
}
