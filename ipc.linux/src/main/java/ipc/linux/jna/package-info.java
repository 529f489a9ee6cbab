/**
 * JNA bindings of the Linux C library and kernel calls used by the Linux backend: C names, header-named constants.
 */
package ipc.linux.jna;
