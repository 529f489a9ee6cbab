/**
 * The Windows backend: unnamed paging-file mappings duplicated into the client, auto-reset events on the wait
 * words, a doorbell pipe per connection and one I/O completion port for the server's dispatcher, named pipes with
 * an explicit DACL for the control channel, and token user SIDs as identities. Private to the bundle; it registers
 * {@link ipc.api.IpcTransport}.
 */
package ipc.windows;
