package ipc.shared.ring;

/**
 * The two directions of a connection; each has its own ring in the segment, written by one side only.
 */
public enum Direction
{
    /** Written by the client, read by the server. */
    CLIENT_TO_SERVER,

    /** Written by the server, read by the client. */
    SERVER_TO_CLIENT
}
