package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One analysed dump: the index, the reference graph and the dominator tree. Open with {@link #open}; close to
 * release the file (and delete the decompressed copy of a gzip dump).
 *
 * <p>Nothing is ever written beside the user's dump: a gzip-compressed dump ({@code jcmd GC.heap_dump -gz}) is
 * stream-decompressed into {@code workDir} (default {@code java.io.tmpdir}) because the index needs random access.
 *
 * <p>Not thread-safe.
 */
public final class HeapAnalysis implements AutoCloseable {
    private final Path source;
    private final Path tempCopy;
    private final FileChannel channel;
    private final dev.hotpath.analyzer.heap.internal.SpillDir spill;
    private final dev.hotpath.analyzer.heap.internal.HeapFootprint footprint;
    final HeapIndex index;
    final HeapGraph graph;
    final Dominators dominators;
    final List<String> notes;
    /** Walks the dump's records in file order again (waste reads Strings and collections that way). */
    final HprofScanner scanner;
    /** Waste's file-order kinds, read ahead before pass 3 when opened for a report with waste; else null. */
    final List<HeapReport.WasteItem> fileOrderWaste;
    private BfsPaths paths;

    private HeapAnalysis(Path source, Path tempCopy, FileChannel channel, dev.hotpath.analyzer.heap.internal.SpillDir spill,
                         dev.hotpath.analyzer.heap.internal.HeapFootprint footprint, HprofScanner scanner, HeapIndex index,
                         HeapGraph graph, Dominators dominators, List<String> notes, List<HeapReport.WasteItem> fileOrderWaste) {
        this.scanner = scanner;
        this.fileOrderWaste = fileOrderWaste;
        this.source = source;
        this.spill = spill;
        this.footprint = footprint;
        this.tempCopy = tempCopy;
        this.channel = channel;
        this.index = index;
        this.graph = graph;
        this.dominators = dominators;
        this.notes = notes;
    }

    public static HeapAnalysis open(Path dump) throws IOException, UnusableInputException {
        return open(dump, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public static HeapAnalysis open(Path dump, Path workDir) throws IOException, UnusableInputException {
        return open(dump, workDir, false);
    }

    /**
     * @param waste the report will list waste: its file-order kinds ({@link Waste#fileOrderItems}) are read right
     *              after pass 2, while the heap holds little (docs/heap.md)
     */
    public static HeapAnalysis open(Path dump, Path workDir, boolean waste) throws IOException, UnusableInputException {
        if (!Files.isRegularFile(dump)) {
            throw new UnusableInputException(dump, "no such file");
        }
        List<String> notes = new ArrayList<>();
        Path tmp = null;
        Path file = dump;
        long gzipCutAt = -1;
        long decompressed = 0;
        if (isGzip(dump)) {
            Files.createDirectories(workDir);
            tmp = Files.createTempFile(workDir, "hotpath-heap-", ".hprof");
            long compressedAt;
            try {
                compressedAt = gunzip(dump, tmp);
            } catch (IOException e) {
                // a gzip header the JDK refuses (ReaderSweepTest; corpus hprofGz/crash-*)
                Files.deleteIfExists(tmp);
                throw new UnusableInputException(dump, "corrupt gzip data: " + e.getMessage(), e);
            }
            gzipCutAt = compressedAt;
            decompressed = Files.size(tmp);
            if (compressedAt >= 0) {
                notes.add(dump.getFileName() + ": gzip stream cut short at compressed byte " + compressedAt
                        + "; analysed the " + Files.size(tmp) + " bytes that decompressed");
            }
            file = tmp;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        dev.hotpath.analyzer.heap.internal.SpillDir spill = null;
        dev.hotpath.analyzer.heap.internal.HeapFootprint footprint = null;
        try {
            // index files of the big per-object arrays, under the work dir (never beside the dump); see docs/heap.md
            spill = new dev.hotpath.analyzer.heap.internal.SpillDir(workDir);
            Timer t = new Timer();
            HeapIndex index = new HeapIndex(dump.getFileName().toString());
            HprofScanner scanner = new HprofScanner(dump, ch, index);
            scanner.readStructure();
            t.lap("pass 1 (structure)");
            if (index.objectCount >= 1 << 20) {
                footprint = dev.hotpath.analyzer.heap.internal.HeapFootprint.tighten();
            }
            GraphBuilder builder = new GraphBuilder(scanner, index);
            builder.fillObjects();
            // pass 3 reads the file and the classes, not the rest of the table: offsets and shallow sizes (totalled
            // per class in pass 2) go to their index files now
            index.spillOffsets(spill);
            index.spillShallow(spill);
            collect(index.objectCount);
            t.lap("pass 2 (object table)");
            List<HeapReport.WasteItem> fileOrderWaste = null;
            if (waste) {
                // examples read String values through the random-access window
                index.attachReader(new dev.hotpath.analyzer.heap.internal.HprofInput(ch, 1 << 13));
                index.reader().idSize(index.idSize);
                fileOrderWaste = List.copyOf(new Waste(index, scanner).fileOrderItems(Waste.EXAMPLES));
                collect(index.objectCount);
                t.lap("waste (file order)");
            }
            HeapGraph graph = builder.buildEdges();
            collect(index.objectCount);
            t.lap("pass 3 (edges)");
            Dominators dom = Dominators.compute(graph, index, spill);
            Fillers.account(index, dom);
            t.lap("dominators");
            // reports read single objects at random: a small window, so that each miss copies 8 KiB, not 64
            index.attachReader(new dev.hotpath.analyzer.heap.internal.HprofInput(ch, 1 << 13));
            index.reader().idSize(index.idSize);
            if (index.layoutNote != null) {
                notes.add(dump.getFileName() + ": " + index.layoutNote);
            }
            if (index.truncatedAt >= 0) {
                notes.add(dump.getFileName() + ": truncated at byte " + index.truncatedAt + (tmp != null ? " (of the decompressed dump)" : "")
                        + "; analysed the " + index.objectCount + " objects before it, with every class taken as a GC root "
                        + "(the dump's own roots may be cut off: JDK 17 writes them last), so objects held only by threads or JNI are unreachable");
            }
            return new HeapAnalysis(dump, tmp, ch, spill, footprint, scanner, index, graph, dom, notes, fileOrderWaste);
        } catch (OutOfMemoryError e) {
            // the index lives in Java arrays (up to 14 bytes per object, and 4 per reference at the DFS; docs/heap.md):
            // say so in one line instead of dying with a stack trace; the arrays are garbage once we unwind
            ch.close();
            closeQuietly(spill);
            if (footprint != null) {
                footprint.restore();
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw new UnusableInputException(dump, "too large for this JVM's heap (-Xmx" + (Runtime.getRuntime().maxMemory() >> 20)
                    + "m): hotpath needs about 14 bytes per object and 4 per reference; run with a larger -Xmx");
        } catch (IOException | UnusableInputException | RuntimeException e) {
            ch.close();
            closeQuietly(spill);
            if (footprint != null) {
                footprint.restore();
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            if (e instanceof IOException && !(e instanceof java.nio.file.NoSuchFileException)) {
                throw new UnusableInputException(dump, "unreadable HPROF data: " + e.getMessage(), e);
            }
            if (e instanceof UnusableInputException u && gzipCutAt >= 0) {
                // the scanner's offsets are in the decompressed data: say first that the gzip stream itself was cut
                String what = u.getMessage().startsWith(dump + ": ") ? u.getMessage().substring(dump.toString().length() + 2) : u.getMessage();
                throw new UnusableInputException(dump, "gzip stream cut short at compressed byte " + gzipCutAt + " of "
                        + Files.size(dump) + "; in the " + decompressed + " bytes that decompressed: " + what, u);
            }
            throw e;
        }
    }

    /**
     * Between phases: the arrays of the phase before are garbage, the next phase allocates its own. Collecting now
     * lets the collector reuse their space instead of growing the heap (peak RSS is the largest heap the JVM ever
     * committed); the big arrays are humongous primitive arrays, which a collection frees without copying. Small
     * dumps (under a million objects) skip it: their arrays are small and the collection would cost more.
     */
    static void collect(long objects) {
        if (objects >= 1 << 20) {
            System.gc();
        }
    }

    /** Phase timings on stderr when {@code -Dhotpath.heap.timing=true} (used by the benchmark). */
    static final class Timer {
        static final boolean ON = Boolean.getBoolean("hotpath.heap.timing");
        private long last = System.nanoTime();
        private long lastCpu = cpu();

        private static long cpu() {
            return ON ? ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() : 0;
        }

        void lap(String phase) {
            if (ON) {
                long now = System.nanoTime();
                long c = cpu();
                System.err.printf(java.util.Locale.ROOT, "  [heap] %-22s %6d ms wall %6d ms CPU  RSS %s%n", phase,
                        (now - last) / 1_000_000, (c - lastCpu) / 1_000_000, rss());
                last = now;
                lastCpu = c;
            }
        }
    }

    /** "VmRSS / VmHWM" in MiB from /proc/self/status, or "?" elsewhere. */
    static String rss() {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
            return rss + " MiB (peak " + hwm + " MiB)";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Decompresses; returns -1 when complete, else roughly the compressed offset where the stream broke off. */
    private static long gunzip(Path from, Path to) throws IOException {
        try (InputStream raw = Files.newInputStream(from);
             CountingStream counted = new CountingStream(raw);
             InputStream in = new GZIPInputStream(counted, 1 << 16);
             OutputStream out = Files.newOutputStream(to)) {
            byte[] b = new byte[1 << 16];
            try {
                int r;
                while ((r = in.read(b)) > 0) {
                    out.write(b, 0, r);
                }
            } catch (EOFException | java.util.zip.ZipException e) {
                // a cut or a damaged block: what decompressed before it is read like a cut dump
                return counted.count;
            }
            return -1;
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int r = super.read();
            if (r >= 0) {
                count++;
            }
            return r;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }
    }

    public Path source() {
        return source;
    }

    public HeapIndex index() {
        return index;
    }

    public HeapGraph graph() {
        return graph;
    }

    public Dominators dominators() {
        return dominators;
    }

    public List<String> notes() {
        return notes;
    }

    /** Shortest paths from the GC roots, computed on first use (one BFS). */
    public BfsPaths paths() {
        if (paths == null) {
            paths = BfsPaths.compute(graph, dominators.predecessors);
        }
        return paths;
    }

    private static void closeQuietly(dev.hotpath.analyzer.heap.internal.SpillDir spill) {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException ignored) {
                // best effort on the error path: the original failure is what the user needs to see
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (footprint != null) {
            footprint.restore();
        }
        channel.close();
        spill.close();
        if (tempCopy != null) {
            Files.deleteIfExists(tempCopy);
        }
    }
}
