/**
 * Small concurrency tools of the transport and the call layer. Private to this bundle and module: not exported, and
 * without a package version, so bnd keeps it inside the bundle.
 */
package ipc.shared.concurrent;
