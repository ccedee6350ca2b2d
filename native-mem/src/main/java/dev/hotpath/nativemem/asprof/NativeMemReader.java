package dev.hotpath.nativemem.asprof;

import dev.hotpath.nativemem.NativeFormatException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads async-profiler {@code nativemem} events from a JFR file with {@code jdk.jfr.consumer}:
 * {@code profiler.Malloc} (startTime, stackTrace, address, size) and {@code profiler.Free} (address, no stack), and
 * works out which allocations were never freed, grouped by stack.
 *
 * <p>Only these two event types are looked at; another reader handles the CPU/allocation/lock events of the same file.
 * Events of different threads are not in time order within a chunk, so a free may be read before its malloc; such
 * frees are parked and cancel the malloc when it arrives (if the malloc is not later than the free).
 * The profiler's own start-up mallocs (stacks through {@code libasyncProfiler.so} below its malloc hook) are dropped.
 *
 * <p>Memory is proportional to live allocations plus distinct stacks, not to the file's size. Not thread-safe.
 */
public final class NativeMemReader {
    static final String MALLOC = "profiler.Malloc";
    static final String FREE = "profiler.Free";
    private static final String PROFILER_LIB = "libasyncProfiler";

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
        // per live allocation: size, stack id and time in parallel arrays; slot reuse through a free list
        long[] size = new long[1024];
        int[] stack = new int[1024];
        long[] time = new long[1024];
        int[] freeSlots = new int[64];
        int freeTop = 0;
        // frees in the tail: the process's own clean-up at exit (shutdown hooks, Cleaners) must not hide a leak
        int[] lateSlots = new int[64];
        long[] lateTimes = new long[64];
        int lateTop = 0;
        int slots = 0;
        LongIntMap live = new LongIntMap(1024);
        Map<Long, Long> parkedFrees = new HashMap<>();
        Map<RecordedStackTrace, Integer> stackIds = new IdentityHashMap<>();
        Map<String, Integer> stackByKey = new HashMap<>();
        List<String[]> stackFrames = new ArrayList<>();
        long mallocs = 0;
        long frees = 0;
        long mallocBytes = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean isMalloc = type.equals(MALLOC);
                if (!isMalloc && !type.equals(FREE)) {
                    continue;
                }
                long t = e.getStartTime().toEpochMilli();
                start = Math.min(start, t);
                end = Math.max(end, t);
                long address = e.getLong("address");
                if (!isMalloc) {
                    frees++;
                    int slot = live.remove(address);
                    if (slot >= 0 && t > end - (long) ((end - start) * tailFraction)) {
                        // possibly after the final cutoff (the end only grows): decided once the cutoff is known
                        if (lateTop == lateSlots.length) {
                            lateSlots = Arrays.copyOf(lateSlots, lateTop * 2);
                            lateTimes = Arrays.copyOf(lateTimes, lateTop * 2);
                        }
                        lateSlots[lateTop] = slot;
                        lateTimes[lateTop++] = t;
                    } else if (slot >= 0) {
                        if (freeTop == freeSlots.length) {
                            freeSlots = Arrays.copyOf(freeSlots, freeTop * 2);
                        }
                        freeSlots[freeTop++] = slot;
                    } else {
                        parkedFrees.put(address, t);
                    }
                    continue;
                }
                Long parked = parkedFrees.remove(address);
                if (parked != null && parked >= t) {
                    continue; // freed by another thread whose events came first in the file
                }
                RecordedStackTrace st = e.getStackTrace();
                int id = stackId(st, stackIds, stackByKey, stackFrames);
                if (id < 0) {
                    continue; // the profiler's own allocation
                }
                mallocs++;
                long bytes = e.getLong("size");
                mallocBytes += bytes;
                int slot;
                if (freeTop > 0) {
                    slot = freeSlots[--freeTop];
                } else {
                    if (slots == size.length) {
                        size = Arrays.copyOf(size, slots * 2);
                        stack = Arrays.copyOf(stack, slots * 2);
                        time = Arrays.copyOf(time, slots * 2);
                    }
                    slot = slots++;
                }
                size[slot] = bytes;
                stack[slot] = id;
                time[slot] = t;
                int old = live.get(address);
                if (old >= 0 && old != slot) {
                    // a free we never saw (sampled away): the old block is gone
                    if (freeTop == freeSlots.length) {
                        freeSlots = Arrays.copyOf(freeSlots, freeTop * 2);
                    }
                    freeSlots[freeTop++] = old;
                }
                live.put(address, slot);
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
        long cutoff = end - (long) ((end - start) * tailFraction);
        long[] perStack = new long[stackFrames.size()];
        long[] countPerStack = new long[stackFrames.size()];
        long[] unfreed = new long[1];
        final long[] fs = size;
        final int[] fst = stack;
        final long[] ft = time;
        live.forEachValue(slot -> {
            if (ft[slot] <= cutoff) {
                perStack[fst[slot]] += fs[slot];
                countPerStack[fst[slot]]++;
                unfreed[0] += fs[slot];
            }
        });
        for (int i = 0; i < lateTop; i++) {
            int slot = lateSlots[i];
            if (lateTimes[i] > cutoff && time[slot] <= cutoff) {
                perStack[stack[slot]] += size[slot];
                countPerStack[stack[slot]]++;
                unfreed[0] += size[slot];
            }
        }
        List<UnfreedStack> out = new ArrayList<>();
        for (int i = 0; i < perStack.length; i++) {
            if (perStack[i] > 0) {
                out.add(describe(stackFrames.get(i), perStack[i], countPerStack[i]));
            }
        }
        out.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        if (out.size() > maxStacks) {
            out = new ArrayList<>(out.subList(0, maxStacks));
        }
        return new NativeMemProfile(start, end, cutoff, mallocs, frees, mallocBytes, unfreed[0], out);
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

    private static UnfreedStack describe(String[] frames, long bytes, long count) {
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
        return new UnfreedStack(List.of(frames), nativeLeaf, javaFrame, appFrame, bytes, count);
    }

    static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("javax.") || frame.startsWith("jdk.")
                || frame.startsWith("sun.") || frame.startsWith("com.sun.");
    }
}
