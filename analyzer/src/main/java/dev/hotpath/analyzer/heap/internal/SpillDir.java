package dev.hotpath.analyzer.heap.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A private directory under the workspace's temp area (never beside the user's dump) holding the index files of one
 * analysis: the big per-object arrays that a phase does not need are written here and read back through a
 * {@link FileChannel} into bounded buffers ({@link SpilledArray}), so they live in the page cache rather than in the
 * process's resident memory. {@link #close} deletes every file and the directory.
 *
 * <p>Not thread-safe.
 */
public final class SpillDir implements AutoCloseable {
    private final Path dir;
    private final List<FileChannel> channels = new ArrayList<>();
    private final int blockBytes;
    private int serial;

    /**
     * A fresh directory under workDir. The block size of random reads is {@code -Dhotpath.heap.spillBlock} (a power
     * of two, at least 16; default 8 KiB): tests make it tiny so that every structure spans many blocks.
     */
    public SpillDir(Path workDir) throws IOException {
        this(workDir, Integer.getInteger("hotpath.heap.spillBlock", SpilledArray.BLOCK_BYTES));
    }

    public SpillDir(Path workDir, int blockBytes) throws IOException {
        if (blockBytes < 16 || Integer.bitCount(blockBytes) != 1) {
            throw new IllegalArgumentException("block size must be a power of two >= 16: " + blockBytes);
        }
        this.blockBytes = blockBytes;
        Files.createDirectories(workDir);
        this.dir = Files.createTempDirectory(workDir, "hotpath-heap-index-");
    }

    public Path dir() {
        return dir;
    }

    /** A new empty file in the directory, open for reading and writing; closed and deleted with the directory. */
    FileChannel create(String name) throws IOException {
        Path p = dir.resolve((serial++) + "-" + name + ".idx");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        channels.add(ch);
        return ch;
    }

    /** Writes {@code a[0..len)}; the array may be dropped afterwards. */
    public SpilledArray ints(String name, int[] a, long len) throws IOException {
        SpilledArray.Writer w = writer(name, 4);
        w.addAll(a, (int) len);
        return w.finish();
    }

    /** Writes {@code a[0..len)} with the array's own width (4 bytes for ints, 8 for longs). */
    public SpilledArray nodes(String name, NodeArray a, long len) throws IOException {
        SpilledArray.Writer w = writer(name, a.width());
        w.addAll(a, 0, len);
        return w.finish();
    }

    public SpilledArray longs(String name, long[] a, long len) throws IOException {
        SpilledArray.Writer w = writer(name, 8);
        for (int i = 0; i < len; i++) {
            w.add(a[i]);
        }
        return w.finish();
    }

    /** A sequential writer of 4- or 8-byte elements. */
    public SpilledArray.Writer writer(String name, int width) throws IOException {
        return new SpilledArray.Writer(create(name), width, blockBytes);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        channels.clear();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        if (first != null) {
            throw first;
        }
    }
}
