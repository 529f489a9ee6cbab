package ipc.macos.jna;

import java.util.Map;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The calls that cannot be direct-mapped, bound through a JNA interface proxy (cold paths only):
 * <ul>
 *   <li>variadic functions, declared with a trailing {@code Object...}: JNA then calls them with
 *       {@code ffi_prep_cif_var} and the number of fixed arguments, which on Apple arm64 puts the variadic
 *       arguments on the stack where the callee reads them (xnu {@code libsyscall/wrappers/varargs_wrappers.s});
 *       a fixed-argument binding would put them in registers and the callee would read garbage. A
 *       {@code mode_t} (2 bytes on macOS) is promoted to {@code int} in a variadic call: pass an {@code int};</li>
 *   <li>{@code fstat}, whose symbol is {@code fstat$INODE64} on x86_64 (see {@link Stat#FSTAT_SYMBOL}), mapped
 *       by name.</li>
 * </ul>
 */
public interface LibCVariadic extends Library
{
    /** The library, loaded on first use of this interface. */
    LibCVariadic INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibCVariadic.class, Map.of(
        Library.OPTION_FUNCTION_MAPPER,
        (FunctionMapper)(library, method) ->
            "fstat".equals(method.getName()) ? Stat.FSTAT_SYMBOL : method.getName()));

    /**
     * {@code int shm_open(const char *, int, ...)} (xnu {@code bsd/sys/mman.h:282}).
     *
     * @param name  the name, at most {@link Mman#PSHMNAMLEN} characters with its leading {@code '/'}.
     * @param oflag {@link Fcntl#O_RDWR} | {@link Fcntl#O_CREAT} | {@link Fcntl#O_EXCL}.
     * @param args  the mode of a new object, an {@code Integer} such as {@code 0600}.
     * @return the descriptor (close-on-exec: xnu sets {@code UF_EXCLOSE}), -1 with {@code errno}.
     */
    int shm_open(String name, int oflag, Object... args);

    /**
     * {@code int fcntl(int, int, ...)} (xnu {@code bsd/sys/fcntl.h:827}).
     *
     * @param fd   the descriptor.
     * @param cmd  e.g. {@link Fcntl#F_SETFD}.
     * @param args the command's argument, an {@code Integer}, or nothing.
     * @return the command's result, -1 with {@code errno}.
     */
    int fcntl(int fd, int cmd, Object... args);

    /**
     * {@code int fstat(int, struct stat *)} with the 64-bit-inode layout (xnu {@code bsd/sys/stat.h:563}).
     *
     * @param fd  the descriptor.
     * @param buf receives the status.
     * @return 0, or -1 with {@code errno}.
     */
    int fstat(int fd, Stat.stat buf);

}
