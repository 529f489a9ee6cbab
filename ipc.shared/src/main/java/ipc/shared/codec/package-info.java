/**
 * The control-channel frame codec: handshake frames, each decoded as hostile input.
 */
@Version("1.0.0")
package ipc.shared.codec;

import org.osgi.annotation.versioning.Version;
