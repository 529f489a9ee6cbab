package ipc.macos.jna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every macOS structure layout the bindings use, three ways:
 * <ol>
 *   <li>the sizes and offsets of shared/ABI-macos.md (clang for {@code x86_64-apple-macos11} and
 *       {@code arm64-apple-macos11}, identical for both targets);</li>
 *   <li>the same computed here by hand for each target, from the C declaration (xnu header cited per test) and
 *       each target's type sizes and alignments (C layout rules, {@code #pragma pack} where the header has it);</li>
 *   <li>the layout JNA gives the {@code Structure} classes (natural alignment, as on both Apple targets), and the
 *       offset constants the backend writes native memory with.</li>
 * </ol>
 * Pure Java, no native code loaded: runs on every build.
 */
class StructLayoutTest
{
    /** Size and alignment of the C types used below, per Apple target (both LP64: xnu bsd/{i386,arm}/_types.h). */
    private static final Map<String, Map<String, int[]>> TYPES = Map.of(
        "x86_64", Map.of("char", new int[] {1, 1}, "short", new int[] {2, 2}, "int", new int[] {4, 4},
            "long", new int[] {8, 8}, "pointer", new int[] {8, 8}),
        "arm64", Map.of("char", new int[] {1, 1}, "short", new int[] {2, 2}, "int", new int[] {4, 4},
            "long", new int[] {8, 8}, "pointer", new int[] {8, 8}));

    /**
     * Lays out a struct by the C rules: each field at the next multiple of min(its alignment, pack); the size
     * rounded up to the largest such alignment. A field is "type" or "type[count]"; "struct:n:a" is a nested
     * struct of size n and alignment a.
     *
     * @return the offsets of the fields, then the size, then the alignment.
     */
    private static int[] layout(final String arch, final int pack, final String... fields)
    {
        final int[] result = new int[fields.length + 2];
        int offset = 0;
        int structAlign = 1;
        for (int i = 0; i < fields.length; i++)
        {
            final String field = fields[i];
            int size;
            int align;
            if (field.startsWith("struct:"))
            {
                final String[] parts = field.split(":");
                size = Integer.parseInt(parts[1]);
                align = Integer.parseInt(parts[2]);
            }
            else
            {
                final int bracket = field.indexOf('[');
                final String type = bracket < 0 ? field : field.substring(0, bracket);
                final int count = bracket < 0 ? 1 : Integer.parseInt(field.substring(bracket + 1, field.length() - 1));
                final int[] sizeAlign = TYPES.get(arch).get(type);
                size = sizeAlign[0] * count;
                align = sizeAlign[1];
            }
            align = Math.min(align, pack);
            offset = (offset + align - 1) / align * align;
            result[i] = offset;
            offset += size;
            structAlign = Math.max(structAlign, align);
        }
        result[fields.length] = (offset + structAlign - 1) / structAlign * structAlign;
        result[fields.length + 1] = structAlign;
        return result;
    }

    private static int[] offsets(final Offsets structure, final String... fields)
    {
        final int[] result = new int[fields.length + 1];
        for (int i = 0; i < fields.length; i++)
        {
            result[i] = structure.offset(fields[i]);
        }
        result[fields.length] = structure.total();
        return result;
    }

    private static int[] withoutAlignment(final int[] layout)
    {
        return java.util.Arrays.copyOf(layout, layout.length - 1);
    }

    /** Access to JNA's computed layout of a Structure. */
    private interface Offsets
    {
        int offset(String field);

        int total();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutSockaddrUn(final String arch)
    {
        // xnu bsd/sys/un.h:76-80: unsigned char sun_len; sa_family_t sun_family (__uint8_t,
        // bsd/sys/_types/_sa_family_t.h:31); char sun_path[104];  -> 0, 1, 2; 106 / 1 (Linux: 110 / 2)
        final int[] expected = {0, 1, 2, 106, 1};
        assertArrayEquals(expected, layout(arch, 8, "char", "char", "char[104]"));
        assertArrayEquals(withoutAlignment(expected), offsets(new Offsets()
        {
            @Override
            public int offset(final String field)
            {
                return new Un.sockaddr_un()
                {
                    int at()
                    {
                        return fieldOffset(field);
                    }
                }.at();
            }

            @Override
            public int total()
            {
                return new Un.sockaddr_un().size();
            }
        }, "sun_len", "sun_family", "sun_path"));
        final Un.sockaddr_un jna = new Un.sockaddr_un();
        assertEquals(106, jna.size());
        assertEquals(Un.SIZEOF_SOCKADDR_UN, jna.size());
        assertEquals(Un.SUN_PATH_OFFSET, expected[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutIovec(final String arch)
    {
        // xnu bsd/sys/_types/_iovec_t.h:31-34: void *iov_base; size_t iov_len;  -> 0, 8; 16 / 8
        final int[] expected = {0, 8, 16, 8};
        assertArrayEquals(expected, layout(arch, 8, "pointer", "long"));
        assertArrayEquals(withoutAlignment(expected), offsets(new Offsets()
        {
            @Override
            public int offset(final String field)
            {
                return new Socket.iovec()
                {
                    int at()
                    {
                        return fieldOffset(field);
                    }
                }.at();
            }

            @Override
            public int total()
            {
                return new Socket.iovec().size();
            }
        }, "iov_base", "iov_len"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutMsghdr(final String arch)
    {
        // xnu bsd/sys/socket.h:603-611: void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov;
        // int msg_iovlen; void *msg_control; socklen_t msg_controllen; int msg_flags;
        // -> 0, 8, 16, 24, 32, 40, 44; 48 / 8 (Linux: msg_iovlen and msg_controllen are size_t, 56 bytes)
        final int[] expected = {0, 8, 16, 24, 32, 40, 44, 48, 8};
        assertArrayEquals(expected, layout(arch, 8, "pointer", "int", "pointer", "int", "pointer", "int", "int"));
        assertArrayEquals(withoutAlignment(expected), offsets(new Offsets()
        {
            @Override
            public int offset(final String field)
            {
                return new Socket.msghdr()
                {
                    int at()
                    {
                        return fieldOffset(field);
                    }
                }.at();
            }

            @Override
            public int total()
            {
                return new Socket.msghdr().size();
            }
        }, "msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"));
        assertEquals(Socket.SIZEOF_MSGHDR, new Socket.msghdr().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutCmsghdrAndTheCmsgMacros(final String arch)
    {
        // xnu bsd/sys/socket.h:652-657: socklen_t cmsg_len; int cmsg_level; int cmsg_type;  -> 0, 4, 8; 12 / 4
        // (Linux: size_t cmsg_len, 16 / 8)
        final int[] expected = {0, 4, 8, 12, 4};
        assertArrayEquals(expected, layout(arch, 8, "int", "int", "int"));
        assertEquals(expected[0], Socket.CMSGHDR_LEN_OFFSET);
        assertEquals(expected[1], Socket.CMSGHDR_LEVEL_OFFSET);
        assertEquals(expected[2], Socket.CMSGHDR_TYPE_OFFSET);
        assertEquals(expected[3], Socket.SIZEOF_CMSGHDR);
        // __DARWIN_ALIGN32 (bsd/i386/_param.h:44-45, bsd/arm/_param.h:20-21) and socket.h:687-688, 717-718:
        // CMSG_DATA at 12, CMSG_SPACE(4) 16, CMSG_LEN(4) 16, CMSG_SPACE(8) = CMSG_LEN(8) = 20 (Linux: 16, 24, 20, 24, 24).
        assertEquals(12, Socket.CMSG_DATA_OFFSET());
        assertEquals(16, Socket.CMSG_SPACE(4));
        assertEquals(16, Socket.CMSG_LEN(4));
        assertEquals(20, Socket.CMSG_SPACE(8));
        assertEquals(20, Socket.CMSG_LEN(8));
        assertEquals(12, Socket.CMSG_LEN(0));
        assertEquals(16, Socket.CMSG_ALIGN(13));
        assertEquals(12, Socket.CMSG_ALIGN(12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutXucred(final String arch)
    {
        // xnu bsd/sys/ucred.h:203-208: u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[16];
        // -> 0, 4, 8, 12; 76 / 4 (Linux's SO_PEERCRED answers struct ucred {pid, uid, gid}, 12 bytes)
        final int[] expected = {0, 4, 8, 12, 76, 4};
        assertArrayEquals(expected, layout(arch, 8, "int", "int", "short", "int[16]"));
        assertArrayEquals(withoutAlignment(expected), offsets(new Offsets()
        {
            @Override
            public int offset(final String field)
            {
                return new Ucred.xucred()
                {
                    int at()
                    {
                        return fieldOffset(field);
                    }
                }.at();
            }

            @Override
            public int total()
            {
                return new Ucred.xucred().size();
            }
        }, "cr_version", "cr_uid", "cr_ngroups", "cr_groups"));
        assertEquals(Ucred.SIZEOF_XUCRED, new Ucred.xucred().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutStatWithSixtyFourBitInodes(final String arch)
    {
        // xnu bsd/sys/stat.h:166-182 (__DARWIN_STRUCT_STAT64): dev_t (int32), mode_t (uint16), nlink_t (uint16),
        // ino64_t (uint64), uid_t, gid_t, dev_t, 4 x struct timespec (16 / 8), off_t, blkcnt_t (int64),
        // blksize_t (int32), uint32 st_flags, uint32 st_gen, int32 st_lspare, int64 st_qspare[2]
        // (bsd/sys/_types.h:78-94, bsd/sys/_types/_nlink_t.h:31) -> 144 / 8
        final int[] expected = {0, 4, 6, 8, 16, 20, 24, 32, 48, 64, 80, 96, 104, 112, 116, 120, 124, 128, 144, 8};
        assertArrayEquals(expected, layout(arch, 8, "int", "short", "short", "long", "int", "int", "int",
            "struct:16:8", "struct:16:8", "struct:16:8", "struct:16:8", "long", "long", "int", "int", "int", "int",
            "long[2]"));
        assertArrayEquals(withoutAlignment(expected), offsets(new Offsets()
        {
            @Override
            public int offset(final String field)
            {
                return new Stat.stat()
                {
                    int at()
                    {
                        return fieldOffset(field);
                    }
                }.at();
            }

            @Override
            public int total()
            {
                return new Stat.stat().size();
            }
        }, "st_dev", "st_mode", "st_nlink", "st_ino", "st_uid", "st_gid", "st_rdev", "st_atimespec", "st_mtimespec",
            "st_ctimespec", "st_birthtimespec", "st_size", "st_blocks", "st_blksize", "st_flags", "st_gen",
            "st_lspare", "st_qspare"));
        assertEquals(Stat.SIZEOF_STAT, new Stat.stat().size());
        assertEquals(Stat.STAT_ST_MODE_OFFSET, expected[1]);
        assertEquals(Stat.STAT_ST_UID_OFFSET, expected[4]);
        assertEquals(Stat.STAT_ST_SIZE_OFFSET, expected[11]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutKeventPackedToFour(final String arch)
    {
        // xnu bsd/sys/event.h:92-103, inside #pragma pack(4): uintptr_t ident; int16_t filter; uint16_t flags;
        // uint32_t fflags; intptr_t data; void *udata;  -> 0, 8, 10, 12, 16, 24; 32 / 4
        final int[] expected = {0, 8, 10, 12, 16, 24, 32, 4};
        assertArrayEquals(expected, layout(arch, 4, "long", "short", "short", "int", "long", "pointer"));
        assertEquals(expected[0], Event.KEVENT_IDENT_OFFSET);
        assertEquals(expected[1], Event.KEVENT_FILTER_OFFSET);
        assertEquals(expected[2], Event.KEVENT_FLAGS_OFFSET);
        assertEquals(expected[3], Event.KEVENT_FFLAGS_OFFSET);
        assertEquals(expected[4], Event.KEVENT_DATA_OFFSET);
        assertEquals(expected[5], Event.KEVENT_UDATA_OFFSET);
        assertEquals(expected[6], Event.SIZEOF_KEVENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void shouldLayOutPollfdAndTimespec(final String arch)
    {
        // xnu bsd/sys/poll.h:96-100: int fd; short events; short revents;  -> 0, 4, 6; 8 / 4
        final int[] pollfd = {0, 4, 6, 8, 4};
        assertArrayEquals(pollfd, layout(arch, 8, "int", "short", "short"));
        assertEquals(pollfd[0], Poll.POLLFD_FD_OFFSET);
        assertEquals(pollfd[1], Poll.POLLFD_EVENTS_OFFSET);
        assertEquals(pollfd[2], Poll.POLLFD_REVENTS_OFFSET);
        assertEquals(pollfd[3], Poll.SIZEOF_POLLFD);
        // xnu bsd/sys/_types/_timespec.h:35-36: __darwin_time_t (long) tv_sec; long tv_nsec;  -> 0, 8; 16 / 8
        final int[] timespec = {0, 8, 16, 8};
        assertArrayEquals(timespec, layout(arch, 8, "long", "long"));
        assertEquals(timespec[0], Time.TIMESPEC_TV_SEC_OFFSET);
        assertEquals(timespec[1], Time.TIMESPEC_TV_NSEC_OFFSET);
        assertEquals(timespec[2], Time.SIZEOF_TIMESPEC);
        assertEquals(16, new Stat.timespec().size());
    }

    @Test
    void shouldComputeTheLayoutRulesTheWayClangDoes()
    {
        // Sanity of the helper itself: padding before an 8-byte field, tail padding, and #pragma pack(4).
        assertArrayEquals(new int[] {0, 8, 16, 8}, layout("x86_64", 8, "int", "long"));
        assertArrayEquals(new int[] {0, 4, 12, 4}, layout("arm64", 4, "int", "long"));
        assertArrayEquals(new int[] {0, 8, 16, 8}, layout("arm64", 8, "long", "char"));
    }
}
