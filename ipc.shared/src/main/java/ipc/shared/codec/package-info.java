/**
 * The frame codecs: control-channel frames (handshake, STATS) and the header of every message of a call channel,
 * each decoded as hostile input.
 */
@Version("1.2.0")
package ipc.shared.codec;

import org.osgi.annotation.versioning.Version;
