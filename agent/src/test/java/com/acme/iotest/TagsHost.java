package com.acme.iotest;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Call-site tags against stack walks: I/O reached in the ways where a tag could go wrong — nested helpers, lambdas, a
 * user wrapper and a user subclass around FileInputStream, JDK helpers that open and read files themselves
 * ({@code Files.readAllBytes}), a JDK method calling back into user code that does its own I/O, a JDK wrapper
 * ({@code BufferedInputStream}, {@code Channels.newInputStream}), a tagged call that throws followed by untagged
 * calls on the same channel, reflection, sockets, an asynchronous channel, virtual threads (JDK 21+). Each I/O line is
 * marked {@code // SITE:name}. Every stream is used from one site per op, so the snapshot is the same however often
 * the recorder re-validates. Prints {@code done}.
 */
public final class TagsHost {
    private TagsHost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Path data = dir.resolve("data.bin");
        byte[] block = new byte[4096];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        try (FileOutputStream out = new FileOutputStream(data.toFile())) {
            for (int i = 0; i < 4; i++) {
                writeThrough(out, block);
            }
        }
        for (int r = 0; r < 3; r++) {
            channelReads(data);
        }
        lambdas(data);
        wrapper(data);
        subclasses(data);
        jdkHelpers(data, dir);
        callback(data, dir.resolve("lines.txt"));
        failedThenUntagged(data);
        reflection(data);
        randomAccess(dir.resolve("raf.bin"));
        sockets();
        async(dir.resolve("async.bin"));
        if (Runtime.version().feature() >= 21) {
            virtualThread(dir.resolve("virtual.bin"));
        }
        System.out.println("done");
    }

    /** A nested helper: the site is this method's line, not main's. */
    private static void writeThrough(OutputStream out, byte[] b) throws IOException {
        out.write(b, 0, b.length); // SITE:writeThrough
    }

    private static void channelReads(Path data) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1024);
            for (long pos = 0; pos < 16384; pos += 1024) {
                buf.clear();
                ch.read(buf, pos); // SITE:channelRead
            }
        }
    }

    private static void lambdas(Path data) throws Exception {
        List<Integer> sizes = List.of(100, 200, 300);
        try (FileInputStream in = new FileInputStream(data.toFile())) {
            byte[] b = new byte[300];
            sizes.forEach(n -> {
                try {
                    in.read(b, 0, n); // SITE:lambdaRead
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
        }
        Runnable r = () -> {
            try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "r")) {
                raf.read(new byte[64]); // SITE:runnableRead
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        };
        r.run();
    }

    /** A user InputStream around a FileInputStream: the site is the wrapper's line (its caller is not tagged). */
    static final class Wrapper extends InputStream {
        private final InputStream in;

        Wrapper(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read(); // SITE:wrapperReadByte
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len); // SITE:wrapperRead
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static void wrapper(Path data) throws IOException {
        try (InputStream in = new Wrapper(new FileInputStream(data.toFile()))) {
            byte[] b = new byte[512];
            for (int i = 0; i < 4; i++) {
                in.read(b); // calls Wrapper.read(byte[], int, int) through InputStream.read(byte[])
            }
        }
        try (InputStream in = new Wrapper(new FileInputStream(data.toFile()))) {
            in.read();
            in.read();
        }
    }

    /** Overrides read and calls super: the site is this line (the application frame nearest the JDK's). */
    static final class Counting extends FileInputStream {
        int calls;

        Counting(Path p) throws IOException {
            super(p.toFile());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            calls++;
            return super.read(b, off, len); // SITE:subclassSuper
        }
    }

    /** Does not override: the tag at the caller names an application-class stream, so the recorder walks. */
    static final class Plain extends FileInputStream {
        Plain(Path p) throws IOException {
            super(p.toFile());
        }
    }

    private static void subclasses(Path data) throws IOException {
        try (Counting c = new Counting(data)) {
            c.read(new byte[256], 0, 256);
            c.read(new byte[256], 0, 256);
        }
        try (FileInputStream p = new Plain(data)) {
            p.read(new byte[128]); // SITE:plainSubclass
        }
    }

    private static void jdkHelpers(Path data, Path dir) throws IOException {
        for (int i = 0; i < 2; i++) {
            byte[] all = Files.readAllBytes(data); // SITE:readAllBytes
            Files.write(dir.resolve("copy-" + i + ".bin"), all); // SITE:filesWrite
        }
        try (InputStream in = new BufferedInputStream(new FileInputStream(data.toFile()), 2048)) {
            byte[] b = new byte[100];
            for (int i = 0; i < 30; i++) {
                in.read(b); // SITE:buffered
            }
        }
        try (InputStream in = Files.newInputStream(data)) {
            in.read(new byte[1000]); // SITE:newInputStream
        }
    }

    /**
     * Files.write iterates user code that reads another file through a tagged call: the inner read is at the
     * iterator's line, the outer writes at the Files.write line (walked), whatever the thread's slot said inside.
     */
    private static void callback(Path data, Path lines) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            Iterable<CharSequence> it = () -> new Iterator<>() {
                private int n;

                @Override
                public boolean hasNext() {
                    return n < 5;
                }

                @Override
                public CharSequence next() {
                    ByteBuffer b = ByteBuffer.allocate(16);
                    try {
                        ch.read(b, 16L * n); // SITE:iteratorRead
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    n++;
                    return "line " + n + " " + b.get(0);
                }
            };
            Files.write(lines, it); // SITE:filesWriteLines
        }
    }

    /**
     * A tagged write that throws inside the JDK (negative position), then reads of the same channel through a JDK
     * wrapper, which are not tagged: they must not inherit the failed call's site.
     */
    private static void failedThenUntagged(Path data) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                ch.write(ByteBuffer.allocate(8), -1); // SITE:failedWrite
            } catch (IllegalArgumentException expected) {
                // counted as one failed write
            }
            InputStream in = Channels.newInputStream(ch);
            byte[] b = new byte[64];
            for (int i = 0; i < 3; i++) {
                in.read(b); // SITE:channelsStream
            }
        }
        try (ReadableByteChannel rc = FileChannel.open(data, StandardOpenOption.READ)) {
            rc.read(ByteBuffer.allocate(32)); // SITE:interfaceRead
        }
    }

    private static void reflection(Path data) throws Exception {
        Method read = FileInputStream.class.getMethod("read", byte[].class);
        try (FileInputStream in = new FileInputStream(data.toFile())) {
            read.invoke(in, (Object) new byte[50]); // SITE:reflectiveRead
        }
    }

    private static void randomAccess(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < 8; i++) {
                raf.write(new byte[100]); // SITE:rafWrite
            }
            raf.seek(0);
            raf.readFully(new byte[300]); // SITE:rafReadFully
        }
    }

    private static void sockets() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); // SITE:socketOpen
                 SocketChannel peer = server.accept()) { // SITE:accept
                for (int i = 0; i < 3; i++) {
                    client.write(ByteBuffer.wrap(new byte[200])); // SITE:socketWrite
                }
                ByteBuffer in = ByteBuffer.allocate(600);
                while (in.hasRemaining()) {
                    peer.read(in); // SITE:socketRead
                }
            }
        }
    }

    private static void async(Path file) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            for (int i = 0; i < 4; i++) {
                ch.write(ByteBuffer.wrap(new byte[256]), 256L * i).get(); // SITE:asyncWrite
            }
            ch.read(ByteBuffer.allocate(1024), 0).get(); // SITE:asyncRead
        }
    }

    /** Started through reflection: the tests compile for JDK 17. */
    private static void virtualThread(Path file) throws Exception {
        List<Throwable> failed = new ArrayList<>();
        Runnable body = () -> {
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                for (int i = 0; i < 10; i++) {
                    out.write(new byte[64]); // SITE:virtualWrite
                }
            } catch (IOException e) {
                synchronized (failed) {
                    failed.add(e);
                }
            }
        };
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread t = (Thread) start.invoke(builder, body);
        t.join();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.get(0));
        }
    }
}
