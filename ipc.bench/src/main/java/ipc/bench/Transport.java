package ipc.bench;

import java.nio.file.Path;
import java.util.List;

import ipc.api.IdleStrategy;
import ipc.api.IpcOptions;

/**
 * Every transport the tool measures. The pair transports ({@link #FLOOR} to {@link #AERON_BACKOFF}) connect one
 * client to a server that answers on one accepted link in its main thread; the serve transports
 * ({@link #SERVE_OURS}, {@link #SERVE_UDS}) are servers that answer every client on threads of their own;
 * {@link #NIO} is the socket peer of the many-clients scenario.
 */
enum Transport
{
    /** Raw floor probe: two longs in a mapped /dev/shm file. */
    FLOOR("raw floor"),
    /** Ours, {@link IdleStrategy#BUSY_SPIN}. */
    OURS_SPIN("ours busy-spin"),
    /** Ours, the default {@link IdleStrategy#SPIN_THEN_PARK}. */
    OURS_DEFAULT("ours default"),
    /**
     * Ours, the default {@link IdleStrategy#SPIN_THEN_PARK}, in child JVMs that forecast paced arrivals
     * ({@code -Dipc.wait.forecast=true}, experimental and off by default): same options as {@link #OURS_DEFAULT}.
     */
    OURS_FORECAST("ours forecast"),
    /** Ours, {@link IdleStrategy#PARK}. */
    OURS_PARK("ours PARK"),
    /** JDK Unix domain sockets, blocking, one thread on each side. */
    UDS("JDK UDS"),
    /** Aeron IPC, busy-spin polling. */
    AERON("Aeron IPC"),
    /** Aeron IPC, polling with Agrona's default back-off idle strategy. */
    AERON_BACKOFF("Aeron back-off"),
    /** Ours in event-driven mode: {@code IpcServer.serve(echo)}, default options, one dispatcher. */
    SERVE_OURS("ours serve"),
    /** As {@link #SERVE_OURS}, in child JVMs that forecast paced arrivals ({@code -Dipc.wait.forecast=true}). */
    SERVE_OURS_FORECAST("ours serve forecast"),
    /** A blocking JDK Unix domain socket echo server, one thread per connection. */
    SERVE_UDS("UDS thread/conn"),
    /** A JDK NIO {@code Selector} Unix domain socket echo server, one thread. */
    NIO("UDS NIO selector");

    final String label;

    Transport(final String label)
    {
        this.label = label;
    }

    /**
     * Opens this pair transport's link in a child JVM.
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
            case OURS_FORECAST:
            case OURS_PARK:
                final IpcOptions options = OurLink.options(idleStrategy());
                return server ? OurLink.serve(endpoint, options, ready) : OurLink.connect(endpoint, options);
            case UDS:
                return server ? UdsLink.serve(Path.of(endpoint), ready) : UdsLink.connect(Path.of(endpoint));
            case AERON:
            case AERON_BACKOFF:
                return server ? AeronLink.serve(endpoint, this == AERON_BACKOFF, ready) :
                    AeronLink.connect(endpoint, this == AERON_BACKOFF);
            default:
                throw new IllegalArgumentException("not a pair transport: transport=" + this);
        }
    }

    /**
     * Connects a client to this serve transport's server.
     *
     * @param endpoint the server's name or socket path.
     * @return the client's link.
     * @throws Exception on failure.
     */
    Link connect(final String endpoint) throws Exception
    {
        switch (this)
        {
            case SERVE_OURS:
            case SERVE_OURS_FORECAST:
                return OurLink.connect(endpoint, IpcOptions.defaults());
            case SERVE_UDS:
                return UdsLink.connect(Path.of(endpoint));
            default:
                throw new IllegalArgumentException("not a serve transport: transport=" + this);
        }
    }

    /**
     * The JVM flags of this transport's child JVMs, beyond the common ones.
     *
     * @return the flags; empty for all but {@link #OURS_FORECAST} and {@link #SERVE_OURS_FORECAST}.
     */
    List<String> jvmFlags()
    {
        return this == OURS_FORECAST || this == SERVE_OURS_FORECAST ? List.of("-Dipc.wait.forecast=true") :
            List.of();
    }

    /** Whether this is a serve transport: a server that answers every client on threads of its own. */
    boolean isServe()
    {
        return this == SERVE_OURS || this == SERVE_OURS_FORECAST || this == SERVE_UDS;
    }

    /** Our idle strategy of this transport (the default one where it is not ours). */
    IdleStrategy idleStrategy()
    {
        return this == OURS_SPIN ? IdleStrategy.BUSY_SPIN :
            this == OURS_PARK ? IdleStrategy.PARK : IdleStrategy.SPIN_THEN_PARK;
    }
}
