package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.jfr.internal.LongList;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.GcSummaryBuilder;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads unified GC logging ({@code -Xlog:gc*}, JDK 9+) line by line into the same {@link GcSummary} the JFR reader
 * makes, for G1, Parallel, Serial, ZGC (single- and multi-generational) and Shenandoah. Decorations are optional: a
 * wall-clock decoration ({@code time}, {@code utctime}) gives epoch times, {@code uptime}/{@code uptimemillis}/
 * {@code uptimenanos} give uptime; with none ({@code -Xlog:gc*:file=F:none}, or only {@code pid,tid}) the pauses are
 * read but rates and trends have no clock.
 *
 * <p>A collection's pause is the sum of the pause lines sharing its {@code GC(n)} id (G1 remark + cleanup, ZGC's
 * three pauses), as JFR's {@code sumOfPauses}. Collector names follow JFR's ({@code G1New}, {@code G1Old},
 * {@code G1Full}, {@code ParallelScavenge}, {@code ParallelOld}, {@code DefNew}, {@code SerialOld}, {@code Z},
 * {@code ZGC Major}, {@code ZGC Minor}, {@code Shenandoah}; and {@code Shenandoah Full}, which JFR tells only by a
 * cycle's "Pause Full" phase) so findings read the same from either source. Not thread-safe.
 */
public final class GcLogParser {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final GcSummaryBuilder builder = new GcSummaryBuilder();
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private String gc = "unknown";
    private long lines;
    private long gcLines;
    private long safepointLines;
    /** Heap-after samples from pause lines; when none, the gc+heap=debug blocks' ({@link #heapBlock}) are used. */
    private long heapSamples;
    private int blockId = -1;
    private long blockBytes;
    private long blockAtMs = Long.MIN_VALUE;
    private final LongList debugHeapMs = new LongList(64);
    private final LongList debugHeapBytes = new LongList(64);
    private long firstMs = Long.MIN_VALUE;
    private long lastMs = Long.MIN_VALUE;
    private int clock = -1; // -1 unknown, 0 none, 1 uptime, 2 epoch
    /** Shenandoah: the cause its last "Trigger:" line gave, for the cycle that starts next. */
    private String trigger;
    /** Shenandoah: the highest GC id seen; its cycles run one at a time, so a new id ends the ones before. */
    private int lastShenandoahId = -1;

    private static final class Pending {
        long startMs = Long.MIN_VALUE;
        String collector;
        String cause;
        long pauseNanos;
        long afterBytes = -1;
        /** Heap used when the collection's first pause began (its pause line's "before->after"); -1 unknown. */
        long beforeBytes = -1;
        long atMs;
        /** "Pause Young", "Pause Full": to name the collector once it is known (see {@link #unresolved}). */
        String pauseName;
    }

    /**
     * Collections met before any line named the collector (a rotated log that lost its "Using …" line): held until one
     * does (usually the next collection's gc,heap line), so that they are not counted under a generic name.
     */
    private final java.util.List<Pending> unresolved = new java.util.ArrayList<>();

    /** Feeds one line (without its terminator). */
    public void line(String raw) {
        lines++;
        long[] t = {Long.MIN_VALUE, 0};
        String msg = stripDecorations(raw, t);
        if (t[0] != Long.MIN_VALUE) {
            if (firstMs == Long.MIN_VALUE) {
                firstMs = t[0];
            }
            lastMs = Math.max(lastMs, t[0]);
        }
        if (msg.startsWith("Safepoint \"")) {
            safepointLines++;
            return;
        }
        if (msg.startsWith("Using ")) {
            usingLine(msg);
            return;
        }
        if (msg.startsWith("Heap Max Capacity: ") || msg.startsWith("Max Capacity: ")) {
            long b = size(msg.substring(msg.indexOf(':') + 2).trim());
            if (b > 0) {
                builder.heapMax(b);
                gcLines++;
            }
            return;
        }
        if (msg.startsWith("Allocation Stall (")) {
            long nanos = durationNanos(msg.substring(msg.lastIndexOf(' ') + 1));
            if (nanos >= 0) { // a line cut before its unit is no stall of unknown length
                builder.allocationStall(nanos);
            }
            gcLines++;
            return;
        }
        if (msg.startsWith("Minimum heap ") && msg.contains("Maximum heap ")) {
            // gc+heap=debug, at start-up: "Minimum heap 8388608  Initial heap 67108864  Maximum heap 67108864"
            try {
                builder.heapMax(Long.parseLong(msg.substring(msg.indexOf("Maximum heap ") + 13).trim()));
            } catch (NumberFormatException ignored) {
                // not the start-up line
            }
            return;
        }
        if (msg.startsWith("Trigger: ")) {
            trigger = shenandoahCause(msg.substring(9));
            gcLines++;
            return;
        }
        if (!msg.startsWith("GC(")) {
            return;
        }
        int close = msg.indexOf(')');
        if (close < 0) {
            return;
        }
        int id;
        try {
            id = Integer.parseInt(msg.substring(3, close));
        } catch (NumberFormatException e) {
            return;
        }
        String body = msg.substring(close + 1).trim();
        // generational ZGC prefixes a phase with its generation: "Y: " (young, in a major collection), "y: " (young,
        // in a minor collection), "O: " (old)
        char generation = 0;
        if (body.length() > 3 && Character.isLetter(body.charAt(0)) && body.charAt(1) == ':' && body.charAt(2) == ' ') {
            generation = body.charAt(0);
            body = body.substring(3).trim();
        }
        gcLines++;
        if (gc.equals("unknown")) {
            inferCollector(body);
        }
        if (heapBlock(id, body, t[0])) {
            return;
        }
        if (body.startsWith("Concurrent ")) {
            concurrentLine(id, body, generation, t[0]);
            return;
        }
        if (gc.equals("Shenandoah")) {
            shenandoahLine(id, body, t[0]);
            return;
        }
        if (body.equals("To-space exhausted")) {
            builder.evacuationFailure();
        } else if (body.startsWith("Pause ")) {
            pauseLine(id, body, t[0]);
        } else if (body.startsWith("User=")) {
            cpuLine(body);
        } else if (body.startsWith("Garbage Collection (") || body.startsWith("Major Collection (")
                || body.startsWith("Minor Collection (")) {
            zCollectionLine(id, body, t[0]);
        }
    }

    /**
     * "User=0.04s Sys=0.04s Real=0.22s" (tag gc,cpu): the GC worker threads' CPU time against the collection's wall
     * time. Parallel workers on an idle machine burn at least as much CPU as wall time; far less means the workers
     * were runnable but not running (the machine's CPUs were busy elsewhere).
     */
    private void cpuLine(String body) {
        String[] parts = body.split(" ");
        if (parts.length < 3) {
            return;
        }
        long user = seconds(parts[0], "User=");
        long sys = seconds(parts[1], "Sys=");
        long real = seconds(parts[2], "Real=");
        if (user >= 0 && sys >= 0 && real > 0) {
            builder.collectionCpu(real, user + sys);
        }
    }

    private static long seconds(String part, String prefix) {
        if (!part.startsWith(prefix) || !part.endsWith("s")) {
            return -1;
        }
        try {
            return Math.round(Double.parseDouble(part.substring(prefix.length(), part.length() - 1)) * 1e9);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void usingLine(String msg) {
        if (msg.startsWith("Using G1")) {
            gc = "G1";
        } else if (msg.startsWith("Using Parallel")) {
            gc = "Parallel";
        } else if (msg.startsWith("Using Serial")) {
            gc = "Serial";
        } else if (msg.startsWith("Using The Z Garbage Collector")) {
            gc = "Z";
        } else if (msg.startsWith("Using Shenandoah")) {
            gc = "Shenandoah";
        } else {
            return;
        }
        gcLines++;
        builder.gcName(gc);
        resolve();
    }

    /**
     * The end line of a concurrent phase: "Concurrent Mark 67.473ms", "Concurrent marking (unload classes) 9.927ms",
     * "Concurrent cleanup 24M->21M(32M) 0.030ms", "y: Concurrent Relocate 0.448ms" (generational ZGC: young "y"/"Y",
     * old "O"). Its start line has no duration and is skipped. Modes in parentheses and heap sizes are not part of the
     * phase's name; a generation is, as " (young)" or " (old)".
     */
    private void concurrentLine(int id, String body, char generation, long atMs) {
        int lastSpace = body.lastIndexOf(' ');
        long nanos = durationNanos(body.substring(lastSpace + 1));
        if (nanos < 0) {
            return;
        }
        String name = body.substring(0, lastSpace);
        int paren = name.indexOf(" (");
        if (paren > 0) {
            name = name.substring(0, paren);
        }
        int arrow = name.indexOf("->");
        if (arrow > 0) {
            name = name.substring(0, Math.max(0, name.lastIndexOf(' ', arrow)));
        }
        if (generation == 'y' || generation == 'Y') {
            name += " (young)";
        } else if (generation == 'O') {
            name += " (old)";
        }
        builder.concurrentPhase(id, name, clock > 0 && atMs != Long.MIN_VALUE ? atMs : -1, nanos);
    }

    /** "Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(64M) 2.299ms", "Pause Mark Start 0.009ms", "Pause Remark …". */
    private void pauseLine(int id, String body, long atMs) {
        int lastSpace = body.lastIndexOf(' ');
        String tail = body.substring(lastSpace + 1);
        if (!tail.endsWith("ms") && !tail.endsWith("s")) {
            return; // the gc,start line of a pause; the end line carries the numbers
        }
        long nanos = durationNanos(tail);
        if (nanos < 0) {
            return;
        }
        String head = body.substring(0, lastSpace);
        long after = -1;
        long before = -1;
        int arrow = head.lastIndexOf("->");
        if (arrow > 0) {
            int sp = head.lastIndexOf(' ', arrow);
            after = size(head.substring(arrow + 2, head.indexOf('(', arrow) < 0 ? head.length() : head.indexOf('(', arrow)));
            before = size(head.substring(sp + 1, arrow));
            head = head.substring(0, sp);
        }
        // name = words before the first " (", groups = the parenthesised causes after it
        int paren = head.indexOf(" (");
        String name = paren < 0 ? head : head.substring(0, paren);
        String cause = null;
        if (paren >= 0) {
            for (String g : groups(head.substring(paren))) {
                if (g.startsWith("Evacuation Failure")) {
                    builder.evacuationFailure();
                } else if (!g.equals("Normal") && !g.equals("Concurrent Start") && !g.equals("Prepare Mixed")
                        && !g.equals("Mixed") && !g.equals("Major") && !g.equals("Minor")) {
                    cause = g;
                }
            }
        }
        Pending p = pending.computeIfAbsent(id, k -> new Pending());
        if (p.collector == null) {
            p.collector = collector(name);
            p.pauseName = name;
        }
        if (p.cause == null && cause != null) {
            p.cause = cause;
        }
        p.pauseNanos += nanos;
        if (after >= 0) {
            p.afterBytes = after;
            if (p.beforeBytes < 0) {
                p.beforeBytes = before;
            }
        }
        if (atMs != Long.MIN_VALUE) {
            long start = atMs - nanos / 1_000_000;
            p.startMs = p.startMs == Long.MIN_VALUE ? start : Math.min(p.startMs, start);
            p.atMs = atMs;
        }
        if (!gc.equals("Z")) {
            // stop-the-world collectors print one pause line per collection, except G1's remark/cleanup pair
            if (!name.equals("Pause Remark")) {
                flush(id);
            }
        }
        if (pending.size() > 16) {
            flush(pending.keySet().iterator().next());
        }
    }

    /**
     * Shenandoah: one cycle is the lines sharing a {@code GC(n)} id. Its pauses (Init Mark, Final Mark, Init/Final
     * Update Refs, Final Roots) sum into one collection, as JFR's {@code sumOfPauses} does; the parenthesised words
     * after a pause ("(unload classes)", a degenerated cycle's "(Roots)") are modes, not causes. The cause comes from
     * the "Trigger:" line before the cycle; a degenerated cycle is an allocation failure's; a "Pause Full" (asked for,
     * or a degenerated cycle upgraded) makes the cycle a full GC, named {@code Shenandoah Full} (JFR names every cycle
     * {@code Shenandoah}). Heap after the cycle: its last "used-before->used-after(capacity)" line.
     */
    private void shenandoahLine(int id, String body, long atMs) {
        if (id > lastShenandoahId) {
            // cycles run one at a time: a new id means the earlier ones are over
            while (!pending.isEmpty()) {
                flush(pending.keySet().iterator().next());
            }
            lastShenandoahId = id;
            Pending p = new Pending();
            p.collector = "Shenandoah";
            p.cause = trigger == null ? "Concurrent GC" : trigger;
            trigger = null;
            pending.put(id, p);
        }
        Pending p = pending.get(id);
        if (p == null) {
            return; // a line of a cycle already flushed (ids out of order in a hand-joined log)
        }
        int arrow = body.indexOf("->");
        if (arrow > 0) {
            int end = body.indexOf('(', arrow);
            long after = size(body.substring(arrow + 2, end < 0 ? body.length() : end));
            if (after >= 0) {
                p.afterBytes = after;
                if (atMs != Long.MIN_VALUE) {
                    p.atMs = atMs;
                }
            }
        }
        if (!body.startsWith("Pause ")) {
            return;
        }
        long nanos = durationNanos(body.substring(body.lastIndexOf(' ') + 1));
        if (nanos < 0) {
            return; // the gc,start line of a pause
        }
        if (body.startsWith("Pause Full")) {
            p.collector = "Shenandoah Full";
        } else if (body.startsWith("Pause Degenerated")) {
            p.cause = "Allocation Failure";
        }
        p.pauseNanos += nanos;
        if (atMs != Long.MIN_VALUE) {
            long start = atMs - nanos / 1_000_000;
            p.startMs = p.startMs == Long.MIN_VALUE ? start : Math.min(p.startMs, start);
            p.atMs = Math.max(p.atMs, atMs);
        }
    }

    /**
     * A Shenandoah "Trigger:" line's cause, named as JFR names it: a GC request ("GC request (System.gc())" on JDK 21+,
     * "Explicit GC request (System.gc())" or "Implicit GC request (Metadata GC Threshold)" before) carries its
     * GCCause in parentheses; "Handle Allocation Failure" is {@code Allocation Failure}; the heuristics' own triggers
     * ("Learning 1 of 5", "Free (…) is below minimum threshold", "Average GC time …") start what JFR calls a
     * {@code Concurrent GC}.
     */
    static String shenandoahCause(String trigger) {
        int req = trigger.indexOf("GC request (");
        if (req >= 0 && trigger.endsWith(")")) {
            return trigger.substring(req + "GC request (".length(), trigger.length() - 1);
        }
        if (trigger.contains("Allocation Failure")) {
            return "Allocation Failure";
        }
        return "Concurrent GC";
    }

    /**
     * A log whose "Using …" line is gone (a rotated set that wrapped, a log cut at its start): the collector from lines
     * only it prints (its generations' names in gc,heap lines, its pause and cycle names). Serial and Parallel print the
     * same pause lines, so a plain {@code -Xlog:gc} log of either stays unknown.
     */
    private void inferCollector(String body) {
        String g = null;
        if (body.startsWith("PSYoungGen:") || body.startsWith("ParOldGen:") || body.startsWith("PSOldGen:")) {
            g = "Parallel";
        } else if (body.startsWith("DefNew:") || body.startsWith("Tenured:")) {
            g = "Serial";
        } else if (body.startsWith("Eden regions:") || body.startsWith("Pause Young (Normal)")
                || body.startsWith("Pause Young (Concurrent Start)") || body.startsWith("Pause Young (Prepare Mixed)")
                || body.startsWith("Pause Young (Mixed)") || body.startsWith("Pause Remark")
                || body.startsWith("Pause Cleanup")) {
            g = "G1";
        } else if (body.startsWith("Garbage Collection (") || body.startsWith("Major Collection (")
                || body.startsWith("Minor Collection (") || body.startsWith("Pause Mark Start")
                || body.startsWith("Pause Relocate Start")) {
            g = "Z";
        } else if (body.startsWith("Pause Init Mark") || body.startsWith("Pause Final Mark")
                || body.startsWith("Pause Degenerated") || body.startsWith("Pause Init Update Refs")) {
            g = "Shenandoah";
        }
        if (g != null) {
            gc = g;
            builder.gcName(g);
            resolve();
        }
    }

    /** ZGC: "Garbage Collection (Warmup)" starts, "… 16M(25%)->30M(47%)" ends a collection. */
    private void zCollectionLine(int id, String body, long atMs) {
        Pending p = pending.computeIfAbsent(id, k -> new Pending());
        int paren = body.indexOf(" (");
        String kind = body.substring(0, paren);
        p.collector = kind.equals("Garbage Collection") ? "Z" : "ZGC " + kind.substring(0, kind.indexOf(' '));
        java.util.List<String> gs = groups(body.substring(paren));
        if (!gs.isEmpty()) {
            p.cause = gs.get(0);
        }
        int arrow = body.indexOf("->");
        if (arrow > 0) {
            int end = body.indexOf('(', arrow);
            p.afterBytes = size(body.substring(arrow + 2, end < 0 ? body.length() : end));
            if (atMs != Long.MIN_VALUE) {
                p.atMs = atMs;
            }
            flush(id);
        } else if (atMs != Long.MIN_VALUE && p.startMs == Long.MIN_VALUE) {
            p.startMs = atMs;
        }
    }

    private void flush(int id) {
        Pending p = pending.remove(id);
        if (p == null || p.collector == null) {
            return;
        }
        if (gc.equals("unknown") && p.pauseName != null && unresolved.size() < 100_000) {
            unresolved.add(p);
            return;
        }
        emit(p);
    }

    /** Names and emits the collections held in {@link #unresolved} (generic names if the collector stayed unknown). */
    private void resolve() {
        for (Pending p : unresolved) {
            p.collector = collector(p.pauseName);
            emit(p);
        }
        unresolved.clear();
    }

    private void emit(Pending p) {
        long start = p.startMs == Long.MIN_VALUE ? -1 : p.startMs;
        builder.collection(start, p.collector, p.cause == null ? p.collector.equals("G1Old") ? "G1 Concurrent Cycle"
                : "unknown" : p.cause, p.pauseNanos);
        if (p.afterBytes >= 0 && clock > 0) {
            // only stop-the-world pause lines tell the heap before: concurrent collectors' "before" is the cycle's
            // start, and the application allocated on while the cycle ran
            builder.heapAroundGc(p.atMs, p.pauseName != null ? p.beforeBytes : -1, p.afterBytes);
            heapSamples++;
        }
    }

    /**
     * {@code -Xlog:gc+heap=debug} prints the heap around each collection as a block: "Heap after GC invocations=4
     * (full 0):" ("Heap After GC" on JDK 25's ZGC), one line per generation ("PSYoungGen total 18944K, used 496K
     * [...]", "garbage-first heap total 65536K, used 1056K [...]", "ZHeap used 6M, capacity 64M, …"), their spaces
     * ("eden space 16384K, 0% used"), then Metaspace. The generations' used sizes summed are the heap after that
     * collection; they are kept aside and used only when no pause line gave the heap after (a gc+heap=debug-only log).
     * Returns whether the line belonged to such a block.
     */
    private boolean heapBlock(int id, String body, long atMs) {
        if (body.regionMatches(true, 0, "Heap after GC", 0, 13)) {
            closeHeapBlock();
            blockId = id;
            blockBytes = 0;
            blockAtMs = atMs;
            return true;
        }
        if (body.regionMatches(true, 0, "Heap before GC", 0, 14)) {
            closeHeapBlock();
            return true;
        }
        if (blockId != id) {
            return false;
        }
        if (body.startsWith("Metaspace") || body.startsWith("class space")) {
            closeHeapBlock();
            return true;
        }
        int used = body.indexOf("used ");
        if (used > 0 && (body.contains(" total ") || body.startsWith("ZHeap"))) {
            int end = used + 5;
            while (end < body.length() && body.charAt(end) != ' ' && body.charAt(end) != ',') {
                end++;
            }
            long bytes = size(body.substring(used + 5, end));
            if (bytes >= 0) {
                blockBytes += bytes;
            }
            return true;
        }
        return false;
    }

    private void closeHeapBlock() {
        if (blockId >= 0 && blockBytes > 0 && blockAtMs != Long.MIN_VALUE) {
            debugHeapMs.add(blockAtMs);
            debugHeapBytes.add(blockBytes);
        }
        blockId = -1;
    }

    private String collector(String pauseName) {
        boolean full = pauseName.startsWith("Pause Full");
        boolean young = pauseName.startsWith("Pause Young");
        return switch (gc) {
            case "G1" -> full ? "G1Full" : young ? "G1New" : "G1Old";
            case "Parallel" -> full ? "ParallelOld" : "ParallelScavenge";
            case "Serial" -> full ? "SerialOld" : "DefNew";
            case "Z" -> "Z";
            // collector not known (see inferCollector): still tell full collections from young ones
            default -> full ? "Full" : young ? "Young" : gc;
        };
    }

    /** Parenthesised groups at the start of {@code s}, allowing one level of nesting ("(System.gc())"). */
    static java.util.List<String> groups(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf('(', i);
            if (open < 0) {
                break;
            }
            int depth = 0;
            int j = open;
            for (; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    break;
                }
            }
            if (j >= s.length()) {
                break;
            }
            out.add(s.substring(open + 1, j));
            i = j + 1;
        }
        return out;
    }

    /** Strips leading "[…]" decorations, putting a wall-clock or uptime time (ms) into {@code t[0]}. */
    private String stripDecorations(String line, long[] t) {
        int i = 0;
        long uptime = Long.MIN_VALUE;
        long wall = Long.MIN_VALUE;
        boolean decorated = false;
        while (i < line.length() && line.charAt(i) == '[') {
            int end = line.indexOf(']', i);
            if (end < 0) {
                break;
            }
            decorated = true;
            String d = line.substring(i + 1, end).trim();
            if (d.length() > 19 && d.charAt(4) == '-' && d.charAt(10) == 'T') {
                try {
                    wall = OffsetDateTime.parse(d, TIME).toInstant().toEpochMilli();
                } catch (DateTimeParseException ignored) {
                    // another decoration that looks like a date: leave the clock as it is
                }
            } else if (d.endsWith("ms") && isNumber(d, 2)) {
                uptime = Long.parseLong(d.substring(0, d.length() - 2));
            } else if (d.endsWith("ns") && isNumber(d, 2)) {
                uptime = Long.parseLong(d.substring(0, d.length() - 2)) / 1_000_000;
            } else if (d.endsWith("s") && isNumber(d, 1)) {
                uptime = Math.round(Double.parseDouble(d.substring(0, d.length() - 1)) * 1000);
            }
            i = end + 1;
        }
        if (wall != Long.MIN_VALUE && clock != 1) {
            t[0] = wall;
            clock = 2;
        } else if (uptime != Long.MIN_VALUE && clock != 2) {
            t[0] = uptime;
            clock = 1;
        } else if (!decorated && clock < 0) {
            clock = 0;
        }
        return line.substring(i).trim();
    }

    private static boolean isNumber(String d, int suffix) {
        int n = d.length() - suffix;
        if (n <= 0) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char c = d.charAt(k);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** "2.299ms", "0.012s", "8.438ms" to nanoseconds; -1 when not a duration. */
    static long durationNanos(String s) {
        try {
            if (s.endsWith("ms")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 2)) * 1e6);
            }
            if (s.endsWith("us")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 2)) * 1e3);
            }
            if (s.endsWith("s")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1e9);
            }
        } catch (NumberFormatException ignored) {
            // not a duration
        }
        return -1;
    }

    /** "64M", "1024K", "2G", "512B" to bytes; -1 when not a size. */
    static long size(String s) {
        s = s.trim();
        if (s.isEmpty()) {
            return -1;
        }
        char unit = s.charAt(s.length() - 1);
        long mul = switch (unit) {
            case 'B' -> 1L;
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> -1L;
        };
        if (mul < 0) {
            return -1;
        }
        try {
            return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * mul);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Lines that were recognised as GC logging (0 means the input is not a GC log). */
    public long gcLines() {
        return gcLines;
    }

    /** {@code -Xlog:safepoint} lines ("Safepoint \"G1CollectFull\", Time since last: …"), which are not read. */
    public long safepointLines() {
        return safepointLines;
    }

    public long lines() {
        return lines;
    }

    /** The first line's time (epoch or uptime ms, see {@link #clock}), or {@code Long.MIN_VALUE} before any. */
    public long firstMs() {
        return firstMs;
    }

    /** Whether lines carried a clock: "epoch", "uptime" or "none". */
    public String clock() {
        return clock == 2 ? "epoch" : clock == 1 ? "uptime" : "none";
    }

    public GcSummary finish(Artifact source) {
        while (!pending.isEmpty()) {
            flush(pending.keySet().iterator().next());
        }
        resolve();
        closeHeapBlock();
        if (heapSamples == 0 && clock > 0) {
            for (int i = 0; i < debugHeapMs.size(); i++) {
                builder.heapAfterGc(debugHeapMs.get(i), debugHeapBytes.get(i));
            }
        }
        builder.epochClock(clock == 2);
        if (firstMs != Long.MIN_VALUE) {
            builder.range(firstMs, lastMs);
        }
        return builder.build(source);
    }
}
