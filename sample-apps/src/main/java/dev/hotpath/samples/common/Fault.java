package dev.hotpath.samples.common;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The planted faults. Each is a realistic code path in one service, off unless named with {@code --fault=NAME}
 * (several allowed, comma-separated). A service ignores faults it does not implement, so a demo can pass one
 * list to every service; {@link #parse} only rejects names that exist nowhere.
 */
public enum Fault {
    /** gateway: object bodies go to disk in tiny unbuffered writes. */
    SMALL_WRITES,
    /** gateway: FileChannel.force after every write. */
    FSYNC_PER_WRITE,
    /** cache: the access index is never pruned. */
    HEAP_LEAK,
    /** ingest: the compressor pool never end()s its Deflaters. */
    NATIVE_LEAK,
    /** ingest: one global lock around the partition map, held during compression. */
    LOCK_CONTENTION,
    /** gateway: per-request large temporary buffers and copies. */
    ALLOC_CHURN,
    /** ingest: many short-lived objects per event plus a large churning live set. */
    GC_PRESSURE,
    /** gateway: GETs served by small positional reads in shuffled order; loadgen: epochs read in random order. */
    RANDOM_READS;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Set<Fault> parse(List<String> names) {
        Set<Fault> out = EnumSet.noneOf(Fault.class);
        for (String n : names) {
            Fault f = byId(n);
            if (f == null) {
                throw new Args.UsageException("unknown fault '" + n + "' (known: " + known() + ")");
            }
            out.add(f);
        }
        return out;
    }

    private static Fault byId(String id) {
        for (Fault f : values()) {
            if (f.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    private static String known() {
        StringBuilder sb = new StringBuilder();
        for (Fault f : values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(f.id());
        }
        return sb.toString();
    }
}
