/**
 * The benchmark tool: our transport against JDK Unix domain sockets and Aeron IPC across two JVMs, a many-clients
 * scenario, and JMH microbenchmarks of the ring and the wait protocol (package {@code ipc.bench.jmh}).
 * A class-path tool, not an OSGi bundle or JPMS module: it reaches ipc.shared's internals and Aeron's unnamed
 * module, which a module-info would forbid.
 */
package ipc.bench;
