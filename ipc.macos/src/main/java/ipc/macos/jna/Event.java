package ipc.macos.jna;

/**
 * Constants and layout of xnu {@code bsd/sys/event.h} (kqueue). {@code struct kevent} is declared inside
 * {@code #pragma pack(4)} ({@code event.h:92-103}); its offsets are those of natural alignment, its size 32 and its
 * alignment 4 on both x86_64 and arm64. The backend reads and writes event arrays through these offsets, so that
 * one native array serves every call without allocation.
 */
public final class Event
{
    /** Filter: readable ({@code event.h:70}). */
    public static final short EVFILT_READ = -1;
    /** Filter: writable ({@code event.h:71}). */
    public static final short EVFILT_WRITE = -2;
    /** Filter: user event ({@code event.h:79}); never used here, it does not cross processes. */
    public static final short EVFILT_USER = -10;

    /** Action: add the event ({@code event.h:144}). */
    public static final short EV_ADD = 0x0001;
    /** Action: delete the event ({@code event.h:145}). */
    public static final short EV_DELETE = 0x0002;
    /** Action: enable the event ({@code event.h:146}). */
    public static final short EV_ENABLE = 0x0004;
    /** Action: disable the event, keeping it registered ({@code event.h:147}). */
    public static final short EV_DISABLE = 0x0008;
    /** Flag: clear the state after retrieval (edge-triggered) ({@code event.h:151}). */
    public static final short EV_CLEAR = 0x0020;
    /** Returned: error, {@code data} holds the errno ({@code event.h:175}). */
    public static final short EV_ERROR = 0x4000;
    /** Returned: end of file, e.g. the peer of a socket closed ({@code event.h:174}). */
    public static final int EV_EOF = 0x8000;

    /** {@code sizeof(struct kevent)}. */
    public static final int SIZEOF_KEVENT = 32;
    /** {@code offsetof(struct kevent, ident)}: {@code uintptr_t}, the descriptor. */
    public static final int KEVENT_IDENT_OFFSET = 0;
    /** {@code offsetof(struct kevent, filter)}: {@code int16_t}. */
    public static final int KEVENT_FILTER_OFFSET = 8;
    /** {@code offsetof(struct kevent, flags)}: {@code uint16_t}. */
    public static final int KEVENT_FLAGS_OFFSET = 10;
    /** {@code offsetof(struct kevent, fflags)}: {@code uint32_t}. */
    public static final int KEVENT_FFLAGS_OFFSET = 12;
    /** {@code offsetof(struct kevent, data)}: {@code intptr_t}. */
    public static final int KEVENT_DATA_OFFSET = 16;
    /** {@code offsetof(struct kevent, udata)}: {@code void *}, the caller's value (the multiplexer key). */
    public static final int KEVENT_UDATA_OFFSET = 24;

    private Event()
    {
    }
}
