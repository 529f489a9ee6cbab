/**
 * The integration tests of the IPC platform. The module itself holds no code: the tests are the test bundle run in
 * Apache Felix (itest.bndrun) and the JPMS test; this descriptor names the module like every other one.
 */
module ipc.itest {
}
