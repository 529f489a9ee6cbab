/**
 * The public API of the IPC platform. Depends on nothing of ours.
 */
module ipc.api {
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;

    exports ipc.api;
    exports ipc.api.call;

    uses ipc.api.IpcTransport;
    uses ipc.api.call.CallProvider;
}
