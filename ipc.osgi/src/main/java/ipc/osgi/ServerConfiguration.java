package ipc.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import ipc.api.IpcOptions;

/**
 * The Metatype description of a configured server (factory PID {@value ServerProperties#FACTORY_PID}), from which
 * the Felix web console and Karaf build a form. The method names map onto the property names by Metatype's rule
 * ({@code _} becomes {@code .}), so they are the same properties as on a whiteboard handler. The values are read and
 * checked by {@link ServerProperties}, not through this interface, so that a bad value is reported, not coerced.
 */
@ObjectClassDefinition(id = ServerProperties.FACTORY_PID, name = "IPC server",
    description = "A shared-memory IPC server bound with the host's transport, serving the IpcHandler service " +
        "that the handler filter chooses.")
@interface ServerConfiguration
{
    /**
     * The name clients connect to.
     *
     * @return 1 to 64 characters of [A-Za-z0-9._-], not starting with a dot.
     */
    @AttributeDefinition(name = "Name", description = "The name clients connect to: 1 to 64 characters of " +
        "[A-Za-z0-9._-], not starting with a dot.")
    String ipc_server_name();

    /**
     * The handler's filter.
     *
     * @return an OSGi filter over IpcHandler services.
     */
    @AttributeDefinition(name = "Handler", description = "An OSGi filter choosing the IpcHandler service to serve, " +
        "for example (component.name=com.example.Echo). Several match: the highest-ranked one is served.")
    String handler_target();

    /**
     * The ring capacity.
     *
     * @return bytes, a power of two.
     */
    @AttributeDefinition(name = "Ring capacity", type = AttributeType.INTEGER, required = false,
        min = "" + IpcOptions.MIN_RING_CAPACITY, max = "" + IpcOptions.MAX_RING_CAPACITY,
        description = "Bytes of each of a connection's two rings: a power of two.")
    int ipc_ringCapacity() default IpcOptions.DEFAULT_RING_CAPACITY;

    /**
     * The maximum message size.
     *
     * @return bytes.
     */
    @AttributeDefinition(name = "Maximum message size", type = AttributeType.INTEGER, required = false,
        min = "1", max = "" + IpcOptions.MAX_MESSAGE_SIZE_LIMIT,
        description = "The largest message, in bytes, a connection carries.")
    int ipc_maxMessageSize() default IpcOptions.DEFAULT_MAX_MESSAGE_SIZE;

    /**
     * The idle strategy.
     *
     * @return an IdleStrategy name.
     */
    @AttributeDefinition(name = "Idle strategy", required = false,
        description = "How a waiting thread waits.",
        options = {
            @Option(value = "SPIN_THEN_PARK", label = "Spin, then park (default)"),
            @Option(value = "BUSY_SPIN", label = "Busy spin (a core per waiting thread)"),
            @Option(value = "PARK", label = "Park at once (least CPU)")})
    String ipc_idleStrategy() default "SPIN_THEN_PARK";

    /**
     * Further user ids allowed to connect.
     *
     * @return user ids.
     */
    @AttributeDefinition(name = "Allowed peer uids", required = false, cardinality = 64,
        description = "User ids allowed to connect besides the server's own.")
    long[] ipc_allowPeerUid() default {};

    /**
     * The connection limit.
     *
     * @return connections.
     */
    @AttributeDefinition(name = "Maximum connections", required = false, min = "1", max = "65536",
        description = "How many connections the server holds open at once.")
    int ipc_maxConnections() default IpcOptions.DEFAULT_MAX_CONNECTIONS;
}
