/**
 * The transport written once for every operating system: handshake, channels, server, dispatcher and peer-death
 * handling, built on the platform SPI.
 */
@Version("1.2.0")
package ipc.shared.transport;

import org.osgi.annotation.versioning.Version;
