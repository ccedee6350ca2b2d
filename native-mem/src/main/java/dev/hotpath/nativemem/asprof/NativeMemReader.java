package dev.hotpath.nativemem.asprof;

import dev.hotpath.nativemem.NativeFormatException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads async-profiler {@code nativemem} events from a JFR file with {@code jdk.jfr.consumer}:
 * {@code profiler.Malloc} (startTime, stackTrace, address, size) and {@code profiler.Free} (address, no stack), and
 * works out which allocations were never freed, grouped by the application frame that made them.
 *
 * <p>Only these two event types are looked at; another reader handles the CPU/allocation/lock events of the same file.
 * Events of different threads are not in time order within a chunk (a thread's buffer is written when it fills or
 * the thread ends), so a free may be read before its malloc, and a block's malloc after a later block's at the same
 * address. The reader is therefore order-free: per address it keeps only the latest malloc and the latest free up
 * to the cutoff, and the block is live iff the malloc is the later. The cutoff comes from the chunk headers'
 * start and duration (a first pass over the events when a header is unfinished).
 * The profiler's own start-up mallocs (stacks through {@code libasyncProfiler.so} below its malloc hook) are dropped.
 *
 * <p>Memory is proportional to the distinct addresses malloc used plus distinct stacks, not to the file's size.
 * Not thread-safe.
 */
public final class NativeMemReader {
    static final String MALLOC = "profiler.Malloc";
    static final String FREE = "profiler.Free";
    private static final String PROFILER_LIB = "libasyncProfiler";
    private static final int CHUNK_MAGIC = 0x464c5200; // "FLR\0"
    private static final int CHUNK_HEADER_BYTES = 68;

    private final double tailFraction;
    private final int maxStacks;

    /**
     * @param tailFraction share of the recording at its end left out: allocations there are ignored, and frees there do
     *                     not count (the profile is the live memory at the cutoff, before any clean-up at exit)
     * @param maxStacks    how many of the largest stacks to keep
     */
    public NativeMemReader(double tailFraction, int maxStacks) {
        this.tailFraction = tailFraction;
        this.maxStacks = maxStacks;
    }

    /** @return the profile, or {@code null} if the recording has no {@code profiler.Malloc} events */
    public NativeMemProfile read(Path file) throws IOException {
        long[] window = chunkWindow(file);
        if (window == null) {
            window = eventWindow(file);
            if (window == null) {
                return null;
            }
        }
        long startNs = window[0];
        long endNs = window[1];
        long cutoffNs = endNs - (long) ((endNs - startNs) * tailFraction);
        // per address ever seen: its latest malloc (time, size, stack) and its latest free up to the cutoff. The
        // address is live at the cutoff iff that malloc is later than that free — true whatever order the events
        // come in, and events of different threads do not come in time order.
        long[] mallocTime = new long[1024];
        long[] size = new long[1024];
        int[] stack = new int[1024];
        long[] freeTime = new long[1024];
        int slots = 0;
        LongIntMap byAddress = new LongIntMap(1024);
        Map<RecordedStackTrace, Integer> stackIds = new IdentityHashMap<>();
        Map<String, Integer> stackByKey = new HashMap<>();
        List<String[]> stackFrames = new ArrayList<>();
        long mallocs = 0;
        long frees = 0;
        long mallocBytes = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean isMalloc = type.equals(MALLOC);
                if (!isMalloc && !type.equals(FREE)) {
                    continue;
                }
                long address = e.getLong("address");
                int id = 0;
                if (isMalloc) {
                    id = stackId(e.getStackTrace(), stackIds, stackByKey, stackFrames);
                    if (id >= 0) {
                        mallocs++;
                        mallocBytes += e.getLong("size");
                    }
                } else {
                    frees++;
                }
                long t = nanos(e);
                if (address == 0 || t > cutoffNs) {
                    continue; // free(NULL); or in the tail: a malloc there is ignored and a free there does not count
                }
                int slot = byAddress.get(address);
                if (slot < 0) {
                    if (slots == mallocTime.length) {
                        mallocTime = Arrays.copyOf(mallocTime, slots * 2);
                        size = Arrays.copyOf(size, slots * 2);
                        stack = Arrays.copyOf(stack, slots * 2);
                        freeTime = Arrays.copyOf(freeTime, slots * 2);
                    }
                    slot = slots++;
                    mallocTime[slot] = Long.MIN_VALUE;
                    freeTime[slot] = Long.MIN_VALUE;
                    byAddress.put(address, slot);
                }
                if (!isMalloc) {
                    freeTime[slot] = Math.max(freeTime[slot], t);
                } else if (t > mallocTime[slot]) {
                    // a later malloc at the same address: the earlier block was freed, whether or not its free was
                    // recorded; the profiler's own blocks (id -1) take their place too but are never reported
                    mallocTime[slot] = t;
                    size[slot] = e.getLong("size");
                    stack[slot] = id;
                }
            }
        } catch (IOException e) {
            if (mallocs == 0) {
                throw new NativeFormatException(file, "not a readable JFR recording: " + e.getMessage());
            }
            // a truncated recording: keep what was read
        }
        if (mallocs == 0) {
            return null;
        }
        long[] perStack = new long[stackFrames.size()];
        long[] countPerStack = new long[stackFrames.size()];
        long[] latePerStack = new long[stackFrames.size()];
        // the same midpoint NativeMemProfile.midMillis() gives, in nanoseconds
        long midNs = (startNs / 1_000_000 + (cutoffNs / 1_000_000 - startNs / 1_000_000) / 2) * 1_000_000;
        long unfreed = 0;
        for (int slot = 0; slot < slots; slot++) {
            // a free at the very nanosecond of the malloc counts as after it
            if (stack[slot] >= 0 && mallocTime[slot] != Long.MIN_VALUE && mallocTime[slot] > freeTime[slot]) {
                perStack[stack[slot]] += size[slot];
                countPerStack[stack[slot]]++;
                if (mallocTime[slot] > midNs) {
                    latePerStack[stack[slot]] += size[slot];
                }
                unfreed += size[slot];
            }
        }
        // one entry per application call site: a leaking line reached through many callers (request handlers,
        // retries, inlined or not) is one culprit, shown with its largest stack; stacks with no application frame
        // (the JVM's own, a JDK thread's) stay one entry each
        List<UnfreedStack> each = new ArrayList<>();
        for (int i = 0; i < perStack.length; i++) {
            if (perStack[i] > 0) {
                each.add(describe(stackFrames.get(i), perStack[i], countPerStack[i], latePerStack[i]));
            }
        }
        each.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        List<UnfreedStack> out = new ArrayList<>();
        Map<String, Integer> bySite = new HashMap<>();
        for (UnfreedStack u : each) {
            Integer at = u.appFrame().isEmpty() ? null : bySite.get(u.appFrame());
            if (at == null) {
                if (!u.appFrame().isEmpty()) {
                    bySite.put(u.appFrame(), out.size());
                }
                out.add(u);
            } else {
                out.set(at, out.get(at).plus(u));
            }
        }
        out.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        if (out.size() > maxStacks) {
            out = new ArrayList<>(out.subList(0, maxStacks));
        }
        return new NativeMemProfile(startNs / 1_000_000, endNs / 1_000_000, cutoffNs / 1_000_000, mallocs, frees,
                mallocBytes, unfreed, out);
    }

    private static long nanos(RecordedEvent e) {
        Instant t = e.getStartTime();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * The recording's time span from its chunk headers (start and duration of each chunk, in epoch nanoseconds), or
     * {@code null} when a header is missing, unfinished (a recording whose writer was killed has no duration) or
     * not one at all — then the events themselves give the span.
     */
    static long[] chunkWindow(Path file) throws IOException {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer h = ByteBuffer.allocate(CHUNK_HEADER_BYTES);
            long offset = 0;
            while (offset < length) {
                h.clear();
                while (h.hasRemaining() && ch.read(h, offset + h.position()) > 0) {
                    // read the whole header
                }
                if (h.hasRemaining() || h.getInt(0) != CHUNK_MAGIC) {
                    return null;
                }
                long chunkSize = h.getLong(8);
                long chunkStart = h.getLong(32);
                long duration = h.getLong(40);
                if (chunkSize < CHUNK_HEADER_BYTES || chunkSize > length - offset || duration <= 0 || chunkStart <= 0) {
                    return null;
                }
                start = Math.min(start, chunkStart);
                end = Math.max(end, chunkStart + duration);
                offset += chunkSize;
            }
        }
        return start < end ? new long[]{start, end} : null;
    }

    /** The span of the malloc and free events (a pass over the file), or {@code null} if there is no malloc event. */
    private static long[] eventWindow(Path file) throws IOException {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        boolean anyMalloc = false;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean isMalloc = type.equals(MALLOC);
                if (isMalloc || type.equals(FREE)) {
                    anyMalloc |= isMalloc;
                    long t = nanos(e);
                    start = Math.min(start, t);
                    end = Math.max(end, t);
                }
            }
        } catch (IOException e) {
            if (!anyMalloc) {
                throw new NativeFormatException(file, "not a readable JFR recording: " + e.getMessage());
            }
            // a truncated recording: the span of what could be read
        }
        return anyMalloc ? new long[]{start, end} : null;
    }

    /** @return the stack's id, or -1 for the profiler's own allocations */
    private static int stackId(RecordedStackTrace st, Map<RecordedStackTrace, Integer> byIdentity,
                               Map<String, Integer> byKey, List<String[]> frames) {
        if (st == null) {
            return idFor(new String[]{"(no stack)"}, byKey, frames);
        }
        Integer known = byIdentity.get(st);
        if (known != null) {
            return known;
        }
        List<RecordedFrame> fr = st.getFrames();
        List<String> out = new ArrayList<>(fr.size());
        int id;
        boolean own = false;
        for (int i = 0; i < fr.size(); i++) {
            RecordedFrame f = fr.get(i);
            RecordedMethod m = f.getMethod();
            String typeName = m == null || m.getType() == null ? "" : m.getType().getName();
            String name = m == null ? "?" : m.getName();
            String ft = f.getType();
            // async-profiler marks every frame as a Java frame; its frame type tells native ones apart
            if ("Native".equals(ft) || "C++".equals(ft) || "Kernel".equals(ft)) {
                if (typeName.startsWith(PROFILER_LIB)) {
                    if (i > 0) {
                        own = true;
                    }
                    continue; // the malloc hook itself
                }
                out.add(name + (typeName.isEmpty() ? "" : " (" + typeName + ")"));
            } else {
                int line = f.getLineNumber();
                out.add(typeName + "." + name + (line > 0 ? ":" + line : ""));
            }
        }
        id = own ? -1 : idFor(out.toArray(new String[0]), byKey, frames);
        byIdentity.put(st, id);
        return id;
    }

    private static int idFor(String[] f, Map<String, Integer> byKey, List<String[]> frames) {
        String key = String.join("\n", f);
        Integer id = byKey.get(key);
        if (id == null) {
            id = frames.size();
            frames.add(f);
            byKey.put(key, id);
        }
        return id;
    }

    private static UnfreedStack describe(String[] frames, long bytes, long count, long lateBytes) {
        String nativeLeaf = "";
        boolean leafSymbolized = false;
        String javaFrame = "";
        String appFrame = "";
        for (String f : frames) {
            // a native frame is "symbol (library)"; one async-profiler could not symbolize is the library's path
            // alone (a static function such as zlib's window allocator) or "[unknown]": no Java frame starts so
            boolean symbolized = f.endsWith(")") && f.contains(" (");
            if (symbolized || f.startsWith("/") || f.startsWith("[")) {
                // the leaf names the first frame with a symbol; a path alone only when no frame has one
                if (nativeLeaf.isEmpty() || symbolized && !leafSymbolized) {
                    nativeLeaf = f;
                    leafSymbolized = symbolized;
                }
            } else {
                if (javaFrame.isEmpty()) {
                    javaFrame = f;
                }
                if (appFrame.isEmpty() && !isJdk(f)) {
                    appFrame = f;
                }
            }
        }
        return new UnfreedStack(List.of(frames), nativeLeaf, javaFrame, appFrame, bytes, count, 1, lateBytes);
    }

    static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("javax.") || frame.startsWith("jdk.")
                || frame.startsWith("sun.") || frame.startsWith("com.sun.");
    }
}
