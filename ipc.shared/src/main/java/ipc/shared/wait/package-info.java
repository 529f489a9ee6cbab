/**
 * The wait/wake protocol: how a reader or writer sleeps on a shared wait word without losing a wake-up.
 */
@Version("1.0.0")
package ipc.shared.wait;

import org.osgi.annotation.versioning.Version;
