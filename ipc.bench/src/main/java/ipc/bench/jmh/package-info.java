/**
 * JMH microbenchmarks of the shared ring and the wait protocol, in-process. Run from the shaded jar:
 * {@code java -cp ipc.bench/target/ipc-bench.jar org.openjdk.jmh.Main 'ipc.bench.jmh' -wi 2 -i 3 -f 1}.
 */
package ipc.bench.jmh;
