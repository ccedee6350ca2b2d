package dev.hotpath.agent.tag;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The calls that get a call-site tag: (static owner, name, descriptor) of JDK I/O methods whose receiver, when it is
 * the JDK's own stream, channel or socket, enters the instrumented method at once — the call is the instrumented
 * method itself, or a final JDK method whose first act is to call it ({@code FileChannel.read(ByteBuffer[])} is not
 * one: it reads the array's length first, and a null array would throw before the recorder sees the call). So a call
 * that throws always passes through the recorder's exit, which clears the tag. Compound helpers ({@code readFully},
 * {@code readAllBytes}, {@code transferTo} of streams, {@code Files.*}) are not tagged and are attributed by a walk.
 * The single-byte {@code InputStream.read()} / {@code OutputStream.write(int)} are left out: on a buffered stream
 * they cost a few nanoseconds, and a tag would double that for no I/O.
 */
final class TaggedCalls {
    private static final String BB = "Ljava/nio/ByteBuffer;";
    private static final String READ_BB = "read(" + BB + ")I";
    private static final String WRITE_BB = "write(" + BB + ")I";
    private static final String SCATTER = "read([" + BB + "II)J";
    private static final String GATHER = "write([" + BB + "II)J";
    private static final Map<String, Set<String>> BY_OWNER = new HashMap<>();

    static {
        String[] streamReads = {"read()I", "read([B)I", "read([BII)I"};
        String[] streamWrites = {"write(I)V", "write([B)V", "write([BII)V"};
        add("java/io/FileInputStream", streamReads);
        add("java/io/FileOutputStream", streamWrites);
        add("java/io/RandomAccessFile", streamReads);
        add("java/io/RandomAccessFile", streamWrites);
        add("java/io/InputStream", "read([B)I", "read([BII)I");
        add("java/io/OutputStream", "write([B)V", "write([BII)V");
        add("java/nio/channels/FileChannel", READ_BB, WRITE_BB, SCATTER, GATHER, "read(" + BB + "J)I",
                "write(" + BB + "J)I", "force(Z)V", "transferTo(JJLjava/nio/channels/WritableByteChannel;)J",
                "transferFrom(Ljava/nio/channels/ReadableByteChannel;JJ)J",
                "map(Ljava/nio/channels/FileChannel$MapMode;JJ)Ljava/nio/MappedByteBuffer;");
        add("java/nio/channels/SocketChannel", READ_BB, WRITE_BB, SCATTER, GATHER, "connect(Ljava/net/SocketAddress;)Z");
        add("java/nio/channels/ServerSocketChannel", "accept()Ljava/nio/channels/SocketChannel;");
        add("java/nio/channels/SeekableByteChannel", READ_BB, WRITE_BB);
        add("java/nio/channels/ByteChannel", READ_BB, WRITE_BB);
        add("java/nio/channels/ReadableByteChannel", READ_BB);
        add("java/nio/channels/WritableByteChannel", WRITE_BB);
        add("java/nio/channels/ScatteringByteChannel", SCATTER);
        add("java/nio/channels/GatheringByteChannel", GATHER);
        add("java/nio/channels/AsynchronousFileChannel", "read(" + BB + "J)Ljava/util/concurrent/Future;",
                "write(" + BB + "J)Ljava/util/concurrent/Future;");
    }

    private TaggedCalls() {
    }

    private static void add(String owner, String... methods) {
        Set<String> set = BY_OWNER.get(owner);
        if (set == null) {
            set = new HashSet<>();
            BY_OWNER.put(owner, set);
        }
        for (String m : methods) {
            set.add(m);
        }
    }

    /** Internal names of the owners: a class whose constant pool names none of them has no tagged call. */
    static Set<String> owners() {
        return BY_OWNER.keySet();
    }

    static boolean tagged(String owner, String name, String descriptor) {
        Set<String> m = BY_OWNER.get(owner);
        return m != null && m.contains(name + descriptor);
    }
}
