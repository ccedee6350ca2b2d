package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.SiteCounter;

import java.util.Arrays;

/**
 * The keys' counts read once they have stopped moving, for the exit snapshot. The recorder adds an operation's count
 * and its bytes with two separate atomic adds (no lock on the hot path), so a reader racing with writers can see a
 * count without its bytes or the reverse; a periodic snapshot accepts that (see {@link SnapshotJson}). At exit the
 * caller first stops recording ({@link dev.hotpath.agent.bootstrap.Recorder#disable()}), so only the operations
 * already in flight can still add; then every key's count, bytes, errors and latency sum, and the key list and the
 * dropped count, are read in passes {@code pauseMillis} apart until two consecutive passes are equal, at most
 * {@code maxPasses} passes. Equal passes mean no operation added anything during the pause: the values are those of
 * complete operations, unless a thread stayed descheduled inside an operation for the whole pause (then that one
 * operation is missing, or half counted; {@link #settled} is still true). When the passes never agree (a completion
 * handler or a stuck thread still recording), the last pass is used and {@link #settled} is false.
 *
 * <p>Not thread-safe; built once by the exit hook. Costs the hot path nothing: it only reads.
 */
public final class SettledCounts {
    /** Where the keys come from: the recorder, or a test's keys. */
    public interface Source {
        SiteCounter[] counters();

        long dropped();
    }

    private static final int FIELDS = 4; // count, bytes, errors, sumNanos

    public final SiteCounter[] counters;
    public final long dropped;
    /** True when the last two passes agreed. */
    public final boolean settled;
    /** Passes read (2 when nothing was in flight). */
    public final int passes;
    private final long[] values;

    private SettledCounts(Pass p, boolean settled, int passes) {
        this.counters = p.counters;
        this.dropped = p.dropped;
        this.values = p.values;
        this.settled = settled;
        this.passes = passes;
    }

    public static SettledCounts read(Source source, int maxPasses, long pauseMillis) throws InterruptedException {
        Pass last = new Pass(source);
        for (int n = 2; n <= Math.max(2, maxPasses); n++) {
            Thread.sleep(pauseMillis);
            Pass p = new Pass(source);
            if (p.sameAs(last)) {
                return new SettledCounts(p, true, n);
            }
            last = p;
        }
        return new SettledCounts(last, false, Math.max(2, maxPasses));
    }

    /** Count of {@code counters[i]} as read in the last pass. */
    public long count(int i) {
        return values[i * FIELDS];
    }

    /** Bytes of {@code counters[i]} as read in the last pass. */
    public long bytes(int i) {
        return values[i * FIELDS + 1];
    }

    private static final class Pass {
        final SiteCounter[] counters;
        final long dropped;
        final long[] values;

        Pass(Source source) {
            counters = source.counters();
            values = new long[counters.length * FIELDS];
            for (int i = 0; i < counters.length; i++) {
                SiteCounter c = counters[i];
                values[i * FIELDS] = c.count();
                values[i * FIELDS + 1] = c.bytes();
                values[i * FIELDS + 2] = c.errors();
                values[i * FIELDS + 3] = c.sumNanos();
            }
            dropped = source.dropped();
        }

        boolean sameAs(Pass o) {
            // the registry only appends keys: the same length means the same keys in the same order
            return counters.length == o.counters.length && dropped == o.dropped && Arrays.equals(values, o.values);
        }
    }
}
