package dev.hotpath.analyzer.gclog;

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
 * makes, for G1, Parallel, Serial and ZGC (single- and multi-generational). Decorations are optional: a wall-clock
 * decoration ({@code time}, {@code utctime}) gives epoch times, {@code uptime}/{@code uptimemillis} give uptime; with
 * none ({@code -Xlog:gc*:file=F:none}) the pauses are read but rates and trends have no clock.
 *
 * <p>A collection's pause is the sum of the pause lines sharing its {@code GC(n)} id (G1 remark + cleanup, ZGC's
 * three pauses), as JFR's {@code sumOfPauses}. Collector names follow JFR's ({@code G1New}, {@code G1Old},
 * {@code G1Full}, {@code ParallelScavenge}, {@code ParallelOld}, {@code DefNew}, {@code SerialOld}, {@code Z},
 * {@code ZGC Major}, {@code ZGC Minor}) so findings read the same from either source. Not thread-safe.
 */
public final class GcLogParser {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final GcSummaryBuilder builder = new GcSummaryBuilder();
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private String gc = "unknown";
    private long lines;
    private long gcLines;
    private long firstMs = Long.MIN_VALUE;
    private long lastMs = Long.MIN_VALUE;
    private int clock = -1; // -1 unknown, 0 none, 1 uptime, 2 epoch

    private static final class Pending {
        long startMs = Long.MIN_VALUE;
        String collector;
        String cause;
        long pauseNanos;
        long afterBytes = -1;
        long atMs;
    }

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
            int ms = msg.lastIndexOf(' ');
            builder.allocationStall(durationNanos(msg.substring(ms + 1)));
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
        if (body.startsWith("Y: ") || body.startsWith("O: ")) {
            body = body.substring(3);
        }
        gcLines++;
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
        int arrow = head.lastIndexOf("->");
        if (arrow > 0) {
            int sp = head.lastIndexOf(' ', arrow);
            after = size(head.substring(arrow + 2, head.indexOf('(', arrow) < 0 ? head.length() : head.indexOf('(', arrow)));
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
        }
        if (p.cause == null && cause != null) {
            p.cause = cause;
        }
        p.pauseNanos += nanos;
        if (after >= 0) {
            p.afterBytes = after;
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
        long start = p.startMs == Long.MIN_VALUE ? -1 : p.startMs;
        builder.collection(start, p.collector, p.cause == null ? p.collector.equals("G1Old") ? "G1 Concurrent Cycle"
                : "unknown" : p.cause, p.pauseNanos);
        if (p.afterBytes >= 0 && clock > 0) {
            builder.heapAfterGc(p.atMs, p.afterBytes);
        }
    }

    private String collector(String pauseName) {
        boolean full = pauseName.startsWith("Pause Full");
        boolean young = pauseName.startsWith("Pause Young");
        return switch (gc) {
            case "G1" -> full ? "G1Full" : young ? "G1New" : "G1Old";
            case "Parallel" -> full ? "ParallelOld" : "ParallelScavenge";
            case "Serial" -> full ? "SerialOld" : "DefNew";
            case "Z" -> "Z";
            default -> gc;
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
        builder.epochClock(clock == 2);
        if (firstMs != Long.MIN_VALUE) {
            builder.range(firstMs, lastMs);
        }
        return builder.build(source);
    }
}
