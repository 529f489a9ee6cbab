/**
 * JNA bindings of the macOS C library (libSystem) and kernel calls used by the macOS backend: C names,
 * header-named constant holders, every value cited from Apple's open-source headers (xnu
 * {@code e3723e1f17661b24996789d8afc084c0c3303b26}, xnu-11417.101.15, unless a comment says otherwise).
 */
package ipc.macos.jna;
