/**
 * JNA bindings of the Windows calls and constants the Windows backend needs that {@code jna-platform} lacks: C
 * names, header-named constant holders, 64-bit layouts.
 */
package ipc.windows.jna;
