package ipc.api.call;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The immutable options of a {@link CallClient} or of a request handler's side. Build them with {@link #builder()};
 * every value is validated when it is set, with a message naming it.
 */
public final class CallOptions
{
    /** Default credits a stream grants the server at most at a time: 256 items. */
    public static final int DEFAULT_MAX_CREDITS = 256;
    /** Largest credit window: 2^20 items. */
    public static final int MAX_CREDITS_LIMIT = 1 << 20;
    /** Default calls a server side keeps active per connection: 4096. */
    public static final int DEFAULT_MAX_ACTIVE_CALLS = 4096;
    /** Largest limit of active calls per connection: 2^20. */
    public static final int MAX_ACTIVE_CALLS_LIMIT = 1 << 20;

    private static final CallOptions DEFAULTS = new Builder().build();

    private final CallDispatcher dispatcher;
    private final boolean callerDriven;
    private final Executor completionExecutor;
    private final int maxCredits;
    private final int maxActiveCalls;

    private CallOptions(final Builder builder)
    {
        dispatcher = builder.dispatcher;
        callerDriven = builder.callerDriven;
        completionExecutor = builder.completionExecutor;
        maxCredits = builder.maxCredits;
        maxActiveCalls = builder.maxActiveCalls;
    }

    /**
     * The default options: the process's shared dispatcher, completions on its thread.
     *
     * @return the defaults.
     */
    public static CallOptions defaults()
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
     * The dispatcher that drives a client; empty for the process's shared one (a daemon thread started on first use,
     * parked while no call is pending), or when {@link #callerDriven()}.
     *
     * @return the dispatcher, if one was given.
     */
    public Optional<CallDispatcher> dispatcher()
    {
        return Optional.ofNullable(dispatcher);
    }

    /**
     * Whether the caller drives the client by {@link CallClient#poll(java.time.Duration)} and
     * {@link CallClient#call(byte[], java.time.Duration)}, with no dispatcher.
     *
     * @return {@code true} when caller-driven.
     */
    public boolean callerDriven()
    {
        return callerDriven;
    }

    /**
     * Where a client's completions (futures, stream signals) run; empty for the thread that read the reply.
     *
     * @return the executor, if one was given.
     */
    public Optional<Executor> completionExecutor()
    {
        return Optional.ofNullable(completionExecutor);
    }

    /**
     * The most items a stream lets the server send ahead of what it has delivered: the bound of what a stream holds.
     *
     * @return items.
     */
    public int maxCredits()
    {
        return maxCredits;
    }

    /**
     * The most calls a server side keeps active on one connection; a request beyond it is failed at once with an
     * error reply ("too many active calls").
     *
     * @return calls.
     */
    public int maxActiveCalls()
    {
        return maxActiveCalls;
    }

    @Override
    public String toString()
    {
        return "CallOptions{dispatcher=" + dispatcher + ", callerDriven=" + callerDriven + ", completionExecutor=" +
            completionExecutor + ", maxCredits=" + maxCredits + ", maxActiveCalls=" + maxActiveCalls + '}';
    }

    /**
     * Builds {@link CallOptions}. Not thread-safe.
     */
    public static final class Builder
    {
        private CallDispatcher dispatcher;
        private boolean callerDriven;
        private Executor completionExecutor;
        private int maxCredits = DEFAULT_MAX_CREDITS;
        private int maxActiveCalls = DEFAULT_MAX_ACTIVE_CALLS;

        private Builder()
        {
        }

        /**
         * Drives the client by this dispatcher; clears {@link #callerDriven()}.
         *
         * @param dispatcher from {@link IpcCalls#dispatcher(String)}.
         * @return this builder.
         */
        public Builder dispatcher(final CallDispatcher dispatcher)
        {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            this.callerDriven = false;
            return this;
        }

        /**
         * Lets the caller drive the client; clears the dispatcher.
         *
         * @return this builder.
         */
        public Builder callerDriven()
        {
            this.callerDriven = true;
            this.dispatcher = null;
            return this;
        }

        /**
         * Runs completions on an executor instead of the reading thread. Stream signals of one subscriber still come
         * one at a time, in order.
         *
         * @param completionExecutor not null.
         * @return this builder.
         */
        public Builder completionExecutor(final Executor completionExecutor)
        {
            this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
            return this;
        }

        /**
         * Sets a stream's credit window.
         *
         * @param maxCredits from 1 to {@value #MAX_CREDITS_LIMIT}.
         * @return this builder.
         */
        public Builder maxCredits(final int maxCredits)
        {
            if (maxCredits < 1 || maxCredits > MAX_CREDITS_LIMIT)
            {
                throw new IllegalArgumentException("maxCredits must be in [1, " + MAX_CREDITS_LIMIT +
                    "]: maxCredits=" + maxCredits);
            }
            this.maxCredits = maxCredits;
            return this;
        }

        /**
         * Sets the most calls a server side keeps active on one connection.
         *
         * @param maxActiveCalls from 1 to {@value #MAX_ACTIVE_CALLS_LIMIT}.
         * @return this builder.
         */
        public Builder maxActiveCalls(final int maxActiveCalls)
        {
            if (maxActiveCalls < 1 || maxActiveCalls > MAX_ACTIVE_CALLS_LIMIT)
            {
                throw new IllegalArgumentException("maxActiveCalls must be in [1, " + MAX_ACTIVE_CALLS_LIMIT +
                    "]: maxActiveCalls=" + maxActiveCalls);
            }
            this.maxActiveCalls = maxActiveCalls;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options.
         */
        public CallOptions build()
        {
            return new CallOptions(this);
        }
    }
}
