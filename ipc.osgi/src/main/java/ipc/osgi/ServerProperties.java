package ipc.osgi;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ipc.api.IdleStrategy;
import ipc.api.IpcOptions;

/**
 * The property names shared by the whiteboard (service properties of an {@link ipc.api.IpcHandler}), the
 * {@value #FACTORY_PID} factory configuration and the {@link ipc.api.IpcServer} services this bundle registers, and
 * their mapping onto {@link IpcOptions}.
 *
 * <p>Values may come as the types Configuration Admin and service properties use: numbers as {@link Number} or
 * {@link String}; the uids as one value, an array or a collection. An absent option keeps
 * {@link IpcOptions#defaults() its default}. A bad value is an {@link IllegalArgumentException} naming the
 * property and the value, the options' own validation included.
 */
final class ServerProperties
{
    /** The factory PID of configured servers. */
    static final String FACTORY_PID = "ipc.server";
    /** The server's name: on a whiteboard handler, it asks for a server; on a configuration, it names it. */
    static final String NAME = "ipc.server.name";
    /** {@link IpcOptions#ringCapacity()}: a power of two in bytes. */
    static final String RING_CAPACITY = "ipc.ringCapacity";
    /** {@link IpcOptions#maxMessageSize()}: bytes. */
    static final String MAX_MESSAGE_SIZE = "ipc.maxMessageSize";
    /** {@link IpcOptions#idleStrategy()}: an {@link IdleStrategy} name, in any case. */
    static final String IDLE_STRATEGY = "ipc.idleStrategy";
    /** {@link IpcOptions#allowedPeerUids()}: user ids allowed besides the server's own. */
    static final String ALLOW_PEER_UID = "ipc.allowPeerUid";
    /** {@link IpcOptions#maxConnections()}. */
    static final String MAX_CONNECTIONS = "ipc.maxConnections";
    /** On a configuration: the filter choosing its handler (Declarative Services' {@code <reference>.target}). */
    static final String HANDLER_TARGET = "handler.target";
    /** On a registered {@link ipc.api.IpcServer}: {@code whiteboard}, or {@code configuration} and the PID. */
    static final String ORIGIN = "ipc.server.origin";
    /** On a registered {@link ipc.api.IpcServer}: the {@code service.id} of the handler it serves. */
    static final String HANDLER_SERVICE_ID = "ipc.handler.service.id";

    private ServerProperties()
    {
    }

    /**
     * The server name in a set of properties.
     *
     * @throws IllegalArgumentException if it is absent or not one non-empty string.
     */
    static String name(final Map<String, ?> properties)
    {
        final Object value = properties.get(NAME);
        if (!(value instanceof String) || ((String)value).isEmpty())
        {
            throw new IllegalArgumentException(NAME + " must be a non-empty string: " + NAME + "=" + show(value));
        }
        return (String)value;
    }

    /**
     * The options in a set of properties, the defaults where absent.
     *
     * @throws IllegalArgumentException naming the first bad property and its value.
     */
    static IpcOptions options(final Map<String, ?> properties)
    {
        final IpcOptions.Builder builder = IpcOptions.builder();
        String key = null;
        Object value = null;
        try
        {
            key = RING_CAPACITY;
            value = properties.get(key);
            if (null != value)
            {
                builder.ringCapacity(toInt(value));
            }
            key = MAX_MESSAGE_SIZE;
            value = properties.get(key);
            if (null != value)
            {
                builder.maxMessageSize(toInt(value));
            }
            key = MAX_CONNECTIONS;
            value = properties.get(key);
            if (null != value)
            {
                builder.maxConnections(toInt(value));
            }
            key = IDLE_STRATEGY;
            value = properties.get(key);
            if (null != value)
            {
                builder.idleStrategy(IdleStrategy.valueOf(value.toString().trim().toUpperCase(Locale.ROOT)));
            }
            key = ALLOW_PEER_UID;
            value = properties.get(key);
            for (final Object uid : values(value))
            {
                builder.allowPeerUid(toLong(uid));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("bad server option: " + key + "=" + show(value) + " (" +
                ex.getMessage() + ")", ex);
        }
        return builder.build();
    }

    /**
     * The service properties of a bound server: its name, its origin, its handler and its options.
     */
    static Map<String, Object> serverProperties(final String name, final String origin, final long handlerServiceId,
        final IpcOptions options)
    {
        final long[] uids = options.allowedPeerUids().stream().mapToLong(Long::longValue).sorted().toArray();
        return Map.of(
            NAME, name,
            ORIGIN, origin,
            HANDLER_SERVICE_ID, handlerServiceId,
            RING_CAPACITY, options.ringCapacity(),
            MAX_MESSAGE_SIZE, options.maxMessageSize(),
            MAX_CONNECTIONS, options.maxConnections(),
            IDLE_STRATEGY, options.idleStrategy().name(),
            ALLOW_PEER_UID, uids);
    }

    /** A property value for a log line: arrays spelled out, strings quoted. */
    static String show(final Object value)
    {
        if (null == value)
        {
            return "(absent)";
        }
        if (value.getClass().isArray())
        {
            final List<String> items = new ArrayList<>();
            for (final Object item : values(value))
            {
                items.add(show(item));
            }
            return items.toString();
        }
        return value instanceof String ? "\"" + value + "\"" : value.toString();
    }

    private static List<Object> values(final Object value)
    {
        final List<Object> values = new ArrayList<>();
        if (null == value)
        {
            return values;
        }
        if (value.getClass().isArray())
        {
            final int length = Array.getLength(value);
            for (int i = 0; i < length; i++)
            {
                values.add(Array.get(value, i));
            }
        }
        else if (value instanceof Collection)
        {
            values.addAll((Collection<?>)value);
        }
        else
        {
            values.add(value);
        }
        return values;
    }

    private static int toInt(final Object value)
    {
        final long number = toLong(value);
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("not an int: value=" + number);
        }
        return (int)number;
    }

    private static long toLong(final Object value)
    {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
        {
            return ((Number)value).longValue();
        }
        if (value instanceof String)
        {
            try
            {
                return Long.parseLong(((String)value).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not an integer: value=" + show(value), ex);
            }
        }
        throw new IllegalArgumentException("not an integer: value=" + show(value) + " type=" +
            (null == value ? "null" : value.getClass().getName()));
    }
}
