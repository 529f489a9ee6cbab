/**
 * A consumer of the IPC platform on the module path: it requires only the API and lets
 * {@code IpcTransport.forHost()} find the host's backend through the module layer's service providers.
 * Compiled and started by {@code ipc.itest.jpms.ModulePathTest}.
 */
module ipc.itest.jpms.consumer {
    requires ipc.api;
}
