package ipc.api;

/**
 * A snapshot of a server's counters.
 *
 * @param openConnections     connections open now.
 * @param acceptedConnections connections accepted since the server was bound.
 * @param rejectedConnections connections refused: peer not allowed, bad handshake, or limits exceeded.
 * @param traffic             the traffic counters summed over every connection, open or closed.
 */
public record IpcServerStats(int openConnections, long acceptedConnections, long rejectedConnections, IpcStats traffic)
{
}
