package ipc.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The immutable options of a server or a channel. Build them with {@link #builder()}; every value is
 * validated when it is set, with a message naming it.
 *
 * <p>The defaults fit 1000 connections in about 130 MiB of shared memory (two 64 KiB rings each) and favour
 * low latency without burning a core when idle.
 */
public final class IpcOptions
{
    /** Smallest ring capacity: 4 KiB. */
    public static final int MIN_RING_CAPACITY = 4 * 1024;
    /** Largest ring capacity: 512 MiB, so that both rings of a connection fit one mapping. */
    public static final int MAX_RING_CAPACITY = 512 * 1024 * 1024;
    /** Largest maximum message size: 1 GiB. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = 1024 * 1024 * 1024;

    /** Default ring capacity per direction: 64 KiB. */
    public static final int DEFAULT_RING_CAPACITY = 64 * 1024;
    /** Default maximum message size: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
    /** Default spin window before parking: 50 µs, above the 8–40 µs a kernel wake-up costs on small VMs. */
    public static final Duration DEFAULT_SPIN_DURATION = Duration.ofNanos(50_000);
    /** Default time a send waits for room in a full ring: 30 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
    /** Default time a connect waits for the handshake: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default limit of connections a server holds open at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    private static final IpcOptions DEFAULTS = new Builder().build();

    private final int ringCapacity;
    private final int maxMessageSize;
    private final IdleStrategy idleStrategy;
    private final Duration spinDuration;
    private final Duration sendTimeout;
    private final Duration connectTimeout;
    private final Set<Long> allowedPeerUids;
    private final int maxConnections;

    private IpcOptions(final Builder builder)
    {
        ringCapacity = builder.ringCapacity;
        maxMessageSize = builder.maxMessageSize;
        idleStrategy = builder.idleStrategy;
        spinDuration = builder.spinDuration;
        sendTimeout = builder.sendTimeout;
        connectTimeout = builder.connectTimeout;
        allowedPeerUids = Set.copyOf(builder.allowedPeerUids);
        maxConnections = builder.maxConnections;
    }

    /**
     * The default options.
     *
     * @return the defaults.
     */
    public static IpcOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder.
     */
    public Builder toBuilder()
    {
        final Builder builder = new Builder();
        builder.ringCapacity = ringCapacity;
        builder.maxMessageSize = maxMessageSize;
        builder.idleStrategy = idleStrategy;
        builder.spinDuration = spinDuration;
        builder.sendTimeout = sendTimeout;
        builder.connectTimeout = connectTimeout;
        builder.allowedPeerUids.addAll(allowedPeerUids);
        builder.maxConnections = maxConnections;
        return builder;
    }

    /**
     * Capacity in bytes of each of a connection's two rings; a power of two. Set by the server.
     *
     * @return the ring capacity.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /**
     * Largest message, in bytes, a connection carries; larger ones are refused before anything is sent.
     * Messages larger than one ring record are fragmented and reassembled. Set by the server.
     *
     * @return the maximum message size.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /**
     * How a waiting thread waits.
     *
     * @return the idle strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * How long {@link IdleStrategy#SPIN_THEN_PARK} spins before it parks: the main latency knob.
     *
     * @return the spin window.
     */
    public Duration spinDuration()
    {
        return spinDuration;
    }

    /**
     * How long a send waits for room in a full ring before it fails with {@link IpcTimeoutException}.
     *
     * @return the send timeout.
     */
    public Duration sendTimeout()
    {
        return sendTimeout;
    }

    /**
     * How long a connect waits for the server to complete the handshake.
     *
     * @return the connect timeout.
     */
    public Duration connectTimeout()
    {
        return connectTimeout;
    }

    /**
     * User ids a server accepts besides its own; empty means only the server's own user.
     *
     * @return the allowed peer uids, unmodifiable.
     */
    public Set<Long> allowedPeerUids()
    {
        return allowedPeerUids;
    }

    /**
     * How many connections a server holds open at once; further clients are rejected.
     *
     * @return the connection limit.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof IpcOptions))
        {
            return false;
        }
        final IpcOptions that = (IpcOptions)o;
        return ringCapacity == that.ringCapacity &&
            maxMessageSize == that.maxMessageSize &&
            maxConnections == that.maxConnections &&
            idleStrategy == that.idleStrategy &&
            spinDuration.equals(that.spinDuration) &&
            sendTimeout.equals(that.sendTimeout) &&
            connectTimeout.equals(that.connectTimeout) &&
            allowedPeerUids.equals(that.allowedPeerUids);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(ringCapacity, maxMessageSize, idleStrategy, spinDuration, sendTimeout, connectTimeout,
            allowedPeerUids, maxConnections);
    }

    @Override
    public String toString()
    {
        return "IpcOptions{ringCapacity=" + ringCapacity +
            ", maxMessageSize=" + maxMessageSize +
            ", idleStrategy=" + idleStrategy +
            ", spinDuration=" + spinDuration +
            ", sendTimeout=" + sendTimeout +
            ", connectTimeout=" + connectTimeout +
            ", allowedPeerUids=" + new TreeSet<>(allowedPeerUids) +
            ", maxConnections=" + maxConnections + '}';
    }

    /**
     * Builds {@link IpcOptions}. Not thread-safe. Each setter validates its argument and throws
     * {@link IllegalArgumentException} naming the value.
     */
    public static final class Builder
    {
        private int ringCapacity = DEFAULT_RING_CAPACITY;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private IdleStrategy idleStrategy = IdleStrategy.SPIN_THEN_PARK;
        private Duration spinDuration = DEFAULT_SPIN_DURATION;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private final Set<Long> allowedPeerUids = new TreeSet<>();
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Builder()
        {
        }

        /**
         * Sets the capacity of each ring.
         *
         * @param ringCapacity a power of two from {@value #MIN_RING_CAPACITY} to {@value #MAX_RING_CAPACITY}.
         * @return this builder.
         */
        public Builder ringCapacity(final int ringCapacity)
        {
            if (ringCapacity < MIN_RING_CAPACITY || ringCapacity > MAX_RING_CAPACITY ||
                Integer.bitCount(ringCapacity) != 1)
            {
                throw new IllegalArgumentException("ringCapacity must be a power of two in [" + MIN_RING_CAPACITY +
                    ", " + MAX_RING_CAPACITY + "]: ringCapacity=" + ringCapacity);
            }
            this.ringCapacity = ringCapacity;
            return this;
        }

        /**
         * Sets the largest message a connection carries.
         *
         * @param maxMessageSize from 1 to {@value #MAX_MESSAGE_SIZE_LIMIT} bytes.
         * @return this builder.
         */
        public Builder maxMessageSize(final int maxMessageSize)
        {
            if (maxMessageSize < 1 || maxMessageSize > MAX_MESSAGE_SIZE_LIMIT)
            {
                throw new IllegalArgumentException("maxMessageSize must be in [1, " + MAX_MESSAGE_SIZE_LIMIT +
                    "]: maxMessageSize=" + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * Sets how a waiting thread waits.
         *
         * @param idleStrategy not null.
         * @return this builder.
         */
        public Builder idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /**
         * Sets how long {@link IdleStrategy#SPIN_THEN_PARK} spins before parking.
         *
         * @param spinDuration from zero to one second.
         * @return this builder.
         */
        public Builder spinDuration(final Duration spinDuration)
        {
            Objects.requireNonNull(spinDuration, "spinDuration");
            if (spinDuration.isNegative() || spinDuration.compareTo(Duration.ofSeconds(1)) > 0)
            {
                throw new IllegalArgumentException("spinDuration must be in [0, 1s]: spinDuration=" + spinDuration);
            }
            this.spinDuration = spinDuration;
            return this;
        }

        /**
         * Sets how long a send waits for room in a full ring.
         *
         * @param sendTimeout positive.
         * @return this builder.
         */
        public Builder sendTimeout(final Duration sendTimeout)
        {
            this.sendTimeout = positive(sendTimeout, "sendTimeout");
            return this;
        }

        /**
         * Sets how long a connect waits for the handshake.
         *
         * @param connectTimeout positive.
         * @return this builder.
         */
        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Allows a user id besides the server's own. May be called several times.
         *
         * @param uid a user id, not negative.
         * @return this builder.
         */
        public Builder allowPeerUid(final long uid)
        {
            if (uid < 0 || uid > 0xFFFF_FFFFL)
            {
                throw new IllegalArgumentException("uid must be in [0, 2^32-1]: uid=" + uid);
            }
            allowedPeerUids.add(uid);
            return this;
        }

        /**
         * Sets how many connections a server holds open at once.
         *
         * @param maxConnections from 1 to 65536.
         * @return this builder.
         */
        public Builder maxConnections(final int maxConnections)
        {
            if (maxConnections < 1 || maxConnections > 65536)
            {
                throw new IllegalArgumentException("maxConnections must be in [1, 65536]: maxConnections=" +
                    maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options.
         */
        public IpcOptions build()
        {
            return new IpcOptions(this);
        }

        private static Duration positive(final Duration value, final String name)
        {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero())
            {
                throw new IllegalArgumentException(name + " must be positive: " + name + "=" + value);
            }
            return value;
        }
    }
}
