/**
 * The platform SPI: the operating-system primitives a backend supplies to the shared transport.
 *
 * <p>How each operating system fills it in (DESIGN.md section 1):
 * <table>
 *   <caption>SPI element per platform</caption>
 *   <tr><th>SPI</th><th>Linux</th><th>macOS</th><th>Windows</th></tr>
 *   <tr><td>{@link ipc.shared.spi.ControlListener}, {@link ipc.shared.spi.ControlChannel}</td>
 *       <td>Unix domain socket</td><td>Unix domain socket</td><td>named pipe</td></tr>
 *   <tr><td>handles sent with a frame</td><td>SCM_RIGHTS</td><td>SCM_RIGHTS</td><td>DuplicateHandle</td></tr>
 *   <tr><td>{@link ipc.shared.spi.ConnectionResources#segment()}</td><td>memfd + mmap</td>
 *       <td>shm_open + mmap</td><td>CreateFileMapping + MapViewOfFile</td></tr>
 *   <tr><td>{@link ipc.shared.spi.WakeSignal} on a ring's wait word</td><td>futex</td>
 *       <td>os_sync_wait_on_address / ulock</td><td>auto-reset event</td></tr>
 *   <tr><td>server's inbound doorbell</td><td>socketpair</td><td>socketpair</td><td>a byte on the named pipe</td></tr>
 *   <tr><td>{@link ipc.shared.spi.Multiplexer}</td><td>epoll</td><td>kqueue</td><td>WaitForMultipleObjects</td></tr>
 * </table>
 */
@Version("1.0.0")
package ipc.shared.spi;

import org.osgi.annotation.versioning.Version;
