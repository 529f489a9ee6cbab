package ipc.windows.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;

/**
 * The constants and layouts this backend binds itself, checked against the Windows SDK headers (values as written
 * there) and, for structures, against JNA's own layout of the same C declaration on a 64-bit JVM (x64 and arm64
 * Windows lay these structures out as LP64-with-LLP64-longs, which for these all-pointer/DWORD fields is the same as
 * JNA's 64-bit default alignment). Runs on any OS: nothing here loads a Windows library.
 */
class BindingLayoutTest
{
    @Test
    void shouldMatchWinBaseHeader()
    {
        // WinBase.h: #define FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000
        assertEquals(0x00080000, WinBaseExt.FILE_FLAG_FIRST_PIPE_INSTANCE);
        // WinBase.h: #define SECURITY_SQOS_PRESENT 0x00100000
        assertEquals(0x00100000, WinBaseExt.SECURITY_SQOS_PRESENT);
        // WinBase.h: #define SECURITY_IDENTIFICATION (SecurityIdentification << 16);
        // winnt.h: SecurityIdentification = 1 in SECURITY_IMPERSONATION_LEVEL
        assertEquals(0x00010000, WinBaseExt.SECURITY_IDENTIFICATION);
    }

    @Test
    void shouldMatchWinNTHeader()
    {
        // winnt.h: #define DUPLICATE_CLOSE_SOURCE 0x00000001, #define DUPLICATE_SAME_ACCESS 0x00000002
        assertEquals(1, WinNTExt.DUPLICATE_CLOSE_SOURCE);
        assertEquals(2, WinNTExt.DUPLICATE_SAME_ACCESS);
        // winnt.h: #define STATUS_PENDING ((DWORD)0x00000103L); jna-platform agrees
        assertEquals(0x103, WinNTExt.STATUS_PENDING);
        assertEquals(WinNT.STATUS_PENDING, WinNTExt.STATUS_PENDING);
    }

    @Test
    void shouldMatchSddlHeader()
    {
        // sddl.h: #define SDDL_REVISION_1 1, SDDL_LOCAL_SYSTEM TEXT("SY"), SDDL_GENERIC_ALL TEXT("GA"),
        // SDDL_ACCESS_ALLOWED TEXT("A"), SDDL_PROTECTED TEXT("P")
        assertEquals(1, Sddl.SDDL_REVISION_1);
        assertEquals("SY", Sddl.SDDL_LOCAL_SYSTEM);
        assertEquals("GA", Sddl.SDDL_GENERIC_ALL);
        assertEquals("A", Sddl.SDDL_ACCESS_ALLOWED);
        assertEquals("P", Sddl.SDDL_PROTECTED);
    }

    @Test
    void shouldMatchWdmHeader()
    {
        // wdm.h: FILE_INFORMATION_CLASS ... FileModeInformation = 16 (FileDirectoryInformation = 1 counts from one).
        assertEquals(16, Wdm.FileModeInformation);
        // wdm.h: #define FILE_SYNCHRONOUS_IO_ALERT 0x00000010, #define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
        assertEquals(0x10, Wdm.FILE_SYNCHRONOUS_IO_ALERT);
        assertEquals(0x20, Wdm.FILE_SYNCHRONOUS_IO_NONALERT);
        // ntstatus.h: #define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
        assertEquals(0, Wdm.STATUS_SUCCESS);
        assertEquals(4, Wdm.FILE_MODE_INFORMATION_SIZE);
        assertEquals(new IoStatusBlockLayout().size(), Wdm.IO_STATUS_BLOCK_SIZE);
        assertEquals(16, Wdm.IO_STATUS_BLOCK_SIZE);
    }

    /** IO_STATUS_BLOCK (wdm.h): union { NTSTATUS Status; PVOID Pointer; }; ULONG_PTR Information. */
    @Structure.FieldOrder({"Pointer", "Information"})
    public static final class IoStatusBlockLayout extends Structure
    {
        public Pointer Pointer;
        public long Information;
    }

    @Test
    void shouldUseTheJnaPlatformConstantsTheBackendRelyOn()
    {
        // WinBase.h / fileapi docs: the pipe and file flags passed to CreateNamedPipeW and CreateFileW.
        assertEquals(0x00000008, WinBase.PIPE_REJECT_REMOTE_CLIENTS);
        assertEquals(0x00000003, WinBase.PIPE_ACCESS_DUPLEX);
        assertEquals(0x00000001, WinBase.PIPE_ACCESS_INBOUND);
        assertEquals(0x00000001, WinBase.PIPE_NOWAIT);
        assertEquals(0, WinBase.PIPE_TYPE_BYTE | WinBase.PIPE_READMODE_BYTE | WinBase.PIPE_WAIT);
        assertEquals(255, WinBase.PIPE_UNLIMITED_INSTANCES);
        assertEquals(0x40000000, WinNT.FILE_FLAG_OVERLAPPED);
        assertEquals(0x0040, WinNT.PROCESS_DUP_HANDLE);
        assertEquals(0x1000, WinNT.PROCESS_QUERY_LIMITED_INFORMATION);
        assertEquals(0x04, WinNT.PAGE_READWRITE);
        assertEquals(0x1000, WinNT.MEM_COMMIT);
    }

    /** The C declaration of OVERLAPPED (minwinbase.h), with the Offset/OffsetHigh member of its union. */
    @Structure.FieldOrder({"Internal", "InternalHigh", "Offset", "OffsetHigh", "hEvent"})
    public static final class OverlappedLayout extends Structure
    {
        public long Internal;
        public long InternalHigh;
        public int Offset;
        public int OffsetHigh;
        public Pointer hEvent;

        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** The C declaration of OVERLAPPED_ENTRY (minwinbase.h). */
    @Structure.FieldOrder({"lpCompletionKey", "lpOverlapped", "Internal", "dwNumberOfBytesTransferred"})
    public static final class OverlappedEntryLayout extends Structure
    {
        public long lpCompletionKey;
        public Pointer lpOverlapped;
        public long Internal;
        public int dwNumberOfBytesTransferred;

        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** jna-platform's own OVERLAPPED, to compare offsets with. */
    public static final class JnaOverlapped extends WinBase.OVERLAPPED
    {
        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    @Test
    void shouldLayOutOverlappedAsWin64()
    {
        assertEquals(8, Native.POINTER_SIZE, "these layouts are for 64-bit JVMs");
        final OverlappedLayout c = new OverlappedLayout();
        final JnaOverlapped jna = new JnaOverlapped();
        for (final String field : List.of("Internal", "InternalHigh", "Offset", "OffsetHigh", "hEvent"))
        {
            assertEquals(c.offsetOf(field), jna.offsetOf(field), "jna-platform offset of " + field);
        }
        assertEquals(c.offsetOf("Internal"), Overlapped.INTERNAL_OFFSET);
        assertEquals(c.offsetOf("InternalHigh"), Overlapped.INTERNAL_HIGH_OFFSET);
        assertEquals(c.offsetOf("Offset"), Overlapped.OFFSET_OFFSET);
        assertEquals(c.offsetOf("OffsetHigh"), Overlapped.OFFSET_HIGH_OFFSET);
        assertEquals(c.offsetOf("hEvent"), Overlapped.H_EVENT_OFFSET);
        // sizeof(OVERLAPPED) == 32 on Win64 (minwinbase.h; also jna-platform's structure).
        assertEquals(32, Overlapped.SIZE);
        assertEquals(c.size(), Overlapped.SIZE);
        assertEquals(jna.size(), Overlapped.SIZE);
    }

    @Test
    void shouldLayOutOverlappedEntryAsWin64()
    {
        final OverlappedEntryLayout c = new OverlappedEntryLayout();
        assertEquals(c.offsetOf("lpCompletionKey"), OverlappedEntry.LP_COMPLETION_KEY_OFFSET);
        assertEquals(c.offsetOf("lpOverlapped"), OverlappedEntry.LP_OVERLAPPED_OFFSET);
        assertEquals(c.offsetOf("Internal"), OverlappedEntry.INTERNAL_OFFSET);
        assertEquals(c.offsetOf("dwNumberOfBytesTransferred"), OverlappedEntry.DW_NUMBER_OF_BYTES_TRANSFERRED_OFFSET);
        // sizeof(OVERLAPPED_ENTRY) == 32 on Win64: the trailing DWORD is padded to the 8-byte alignment.
        assertEquals(32, OverlappedEntry.SIZE);
        assertEquals(c.size(), OverlappedEntry.SIZE);
    }
}
