package dev.hotpath.agent.bootstrap;

/** Kinds and operations as small ints, so that advice passes primitives and the hot path indexes arrays. */
public final class Ops {
    public static final int KIND_FILE = 0;
    public static final int KIND_SOCKET = 1;

    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int FORCE = 2;
    public static final int TRANSFER = 3;
    public static final int MAP = 4;
    public static final int CONNECT = 5;
    public static final int ACCEPT = 6;
    public static final int COUNT = 7;

    /** Passed as the position of an op that works at the stream's or channel's current position. */
    public static final long CURRENT = -1L;
    /** Passed as the position of an op that has no position (force, connect, accept, socket I/O). */
    public static final long NONE = -2L;

    private static final String[] KIND_NAMES = {"file", "socket"};
    private static final String[] OP_NAMES = {"read", "write", "force", "transfer", "map", "connect", "accept"};

    private Ops() {
    }

    public static String kindName(int kind) {
        return KIND_NAMES[kind];
    }

    public static String opName(int op) {
        return OP_NAMES[op];
    }
}
