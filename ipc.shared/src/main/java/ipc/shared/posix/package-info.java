/**
 * What the POSIX backends (Linux, macOS) share beyond the platform SPI, in plain Java: the rules for the directory
 * their servers' sockets live in, and the control channel over a Unix domain socket, on each backend's system calls.
 */
@Version("1.0.0")
package ipc.shared.posix;

import org.osgi.annotation.versioning.Version;
