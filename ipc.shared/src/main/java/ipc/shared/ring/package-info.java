/**
 * The shared segment layout and the single-producer single-consumer record ring that carries each direction.
 */
@Version("1.0.0")
package ipc.shared.ring;

import org.osgi.annotation.versioning.Version;
