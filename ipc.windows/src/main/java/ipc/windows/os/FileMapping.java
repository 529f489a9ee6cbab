package ipc.windows.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD.SIZE_T;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;

/**
 * Unnamed file mappings backed by the paging file ({@code CreateFileMappingW(INVALID_HANDLE_VALUE, ...)}): the
 * memory lives while a handle or a view refers to it, so a crash leaves nothing behind; no file on disk (Windows
 * cannot delete a file that is mapped).
 */
public final class FileMapping
{
    private FileMapping()
    {
    }

    /**
     * Creates a mapping of {@code size} zero bytes, committed ({@code SEC_COMMIT}, the default), not inheritable.
     *
     * @param size the size, from 1 to {@link Integer#MAX_VALUE}.
     * @return the mapping handle, owned by the caller.
     * @throws IpcException if the OS refuses (e.g. the commit limit is reached).
     */
    public static long create(final long size) throws IpcException
    {
        checkSize(size);
        final long mapping = Handles.value(Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, null,
            WinNT.PAGE_READWRITE, (int)(size >>> 32), (int)size, null));
        if (mapping == Handles.NULL)
        {
            throw WindowsErrors.exception("CreateFileMappingW", Native.getLastError(), "size=" + size);
        }
        return mapping;
    }

    /**
     * Maps a whole mapping read-write and checks that every page of the view is committed and read-write, so
     * that a mapping received from a peer can never fault: a view larger than its mapping is refused by
     * {@code MapViewOfFile}, and a mapping created with {@code SEC_RESERVE} would show uncommitted pages here.
     *
     * @param mapping the mapping handle; it may be closed once mapped.
     * @param size    the expected size.
     * @return a direct buffer over the view, native byte order; release it with {@link #unmap}.
     * @throws IpcProtocolException if the view is not what a segment must be.
     * @throws IpcException         if the OS refuses.
     */
    public static ByteBuffer map(final long mapping, final long size) throws IpcException
    {
        checkSize(size);
        final Pointer view = Kernel32.INSTANCE.MapViewOfFile(Handles.of(mapping),
            WinNT.FILE_MAP_READ | WinNT.FILE_MAP_WRITE, 0, 0, (int)size);
        if (null == view)
        {
            throw WindowsErrors.exception("MapViewOfFile", Native.getLastError(), "mapping=" + mapping + " size=" +
                size);
        }
        try
        {
            checkCommitted(view, size);
        }
        catch (final IpcException | RuntimeException ex)
        {
            Kernel32.INSTANCE.UnmapViewOfFile(view);
            throw ex;
        }
        return view.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    private static void checkCommitted(final Pointer view, final long size) throws IpcException
    {
        final long base = Pointer.nativeValue(view);
        final WinNT.MEMORY_BASIC_INFORMATION info = new WinNT.MEMORY_BASIC_INFORMATION();
        long address = base;
        while (address < base + size)
        {
            final SIZE_T written = Kernel32.INSTANCE.VirtualQueryEx(Handles.of(Handles.CURRENT_PROCESS),
                new Pointer(address), info, new SIZE_T(info.size()));
            if (written.longValue() == 0)
            {
                throw WindowsErrors.exception("VirtualQueryEx", Native.getLastError(), "address=0x" +
                    Long.toHexString(address));
            }
            final int state = info.state.intValue();
            final int protect = info.protect.intValue();
            final long region = info.regionSize.longValue();
            if (state != WinNT.MEM_COMMIT || protect != WinNT.PAGE_READWRITE || region <= 0)
            {
                throw new IpcProtocolException("segment view is not committed read-write memory: offset=" +
                    (address - base) + " state=0x" + Integer.toHexString(state) + " protect=0x" +
                    Integer.toHexString(protect) + " size=" + size);
            }
            address = Pointer.nativeValue(info.baseAddress) + region;
        }
    }

    /**
     * Unmaps a view returned by {@link #map}. Neither it nor any view of it may be touched afterwards.
     *
     * @param view the buffer returned by {@link #map}.
     * @throws IpcException if the OS refuses.
     */
    public static void unmap(final ByteBuffer view) throws IpcException
    {
        final Pointer address = Native.getDirectBufferPointer(view);
        if (!Kernel32.INSTANCE.UnmapViewOfFile(address))
        {
            throw WindowsErrors.exception("UnmapViewOfFile", Native.getLastError(), "address=0x" +
                Long.toHexString(Pointer.nativeValue(address)));
        }
    }

    private static void checkSize(final long size)
    {
        if (size <= 0 || size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("size must be in 1.." + Integer.MAX_VALUE + ": size=" + size);
        }
    }
}
