/**
 * The control-channel frame codec: handshake and STATS frames, each decoded as hostile input.
 */
@Version("1.1.0")
package ipc.shared.codec;

import org.osgi.annotation.versioning.Version;
