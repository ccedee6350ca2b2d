package dev.hotpath.analyzer.jfr.internal;

import jdk.jfr.consumer.RecordedEvent;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An event's start, end and duration in nanoseconds from its raw tick counts, without the two {@code Instant}s and
 * the {@code Duration} that {@link RecordedEvent#getStartTime()}, {@code getEndTime()} and {@code getDuration()}
 * allocate per call (on a dense recording those three calls cost a sixth of the reading thread, JfrIngestBench).
 *
 * <p>The consumer keeps the ticks in {@code RecordedEvent.startTimeTicks/endTimeTicks} and converts them with the
 * clock of the event's chunk: {@code startNanos + (long) ((ticks - startTicks) / (ticksPerSecond / 1e9))}, the three
 * values read from the chunk header (JDK 17 and 25, {@code jdk.jfr.internal.consumer.TimeConverter}). So the
 * conversion here is only valid while every event comes from the one chunk whose header {@link #begin} read: the
 * caller reads one chunk per file (JfrIngester's parts). The first events after each {@link #begin} are computed
 * both ways and a single difference turns the raw path off until the next {@code begin}; where the tick fields
 * cannot be read (another JDK's layout, JDK 24+ without {@code --add-opens jdk.jfr/jdk.jfr.consumer}) every value
 * comes from the public getters. Each method returns exactly what the public getter gives. Not thread-safe.
 */
public final class EventTimes {
    /** Events compared both ways after each {@link #begin}; the conversion is a fixed function of the ticks. */
    private static final int CHECKED = 32;
    private static final MethodHandle START_TICKS = longField("startTimeTicks");
    private static final MethodHandle END_TICKS = longField("endTimeTicks");
    private static final int HEADER_BYTES = 68;
    /** 2^53: every long of smaller magnitude is a double exactly. */
    private static final long EXACT = 1L << 53;

    private boolean raw;
    private int checked;
    private long chunkStartNanos;
    private long chunkStartTicks;
    private double divisor;

    /** Whether the tick fields can be read on this JVM (else every value comes from the public getters). */
    public static boolean available() {
        return START_TICKS != null && END_TICKS != null && !Boolean.getBoolean("hotpath.jfr.timesByApi");
    }

    /** Times from the public getters only (a stream over several chunks). */
    public EventTimes() {
    }

    /**
     * The next events come from {@code file}, a file of one chunk (or a cut one): its header's clock converts their
     * ticks. A file whose first chunk does not span it, or whose header cannot be read, gets the public getters.
     */
    public void begin(Path file) {
        raw = false;
        checked = 0;
        if (!available()) {
            return;
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        try (FileChannel ch = FileChannel.open(file)) {
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // positional reads until the header is full
            }
            if (head.hasRemaining() || head.getInt(0) != 0x464c5200 || head.getLong(8) < ch.size()) {
                return;
            }
        } catch (IOException | RuntimeException unreadable) {
            return;
        }
        chunkStartNanos = head.getLong(32);
        chunkStartTicks = head.getLong(48);
        // as the consumer: a long widened to double, then divided (ChunkHeader.getTicksPerSecond() is a double)
        divisor = ((double) head.getLong(56)) / 1_000_000_000L;
        raw = true;
    }

    public long startNanos(RecordedEvent e) {
        if (raw && (checked >= CHECKED || check(e))) {
            return convert(ticks(START_TICKS, e));
        }
        return nanos(e.getStartTime());
    }

    public long endNanos(RecordedEvent e) {
        if (raw && (checked >= CHECKED || check(e))) {
            return convert(ticks(END_TICKS, e));
        }
        return nanos(e.getEndTime());
    }

    /** {@code getDuration().toNanos()}: the difference of the converted end and start, as the consumer takes it. */
    public long durationNanos(RecordedEvent e) {
        if (raw && (checked >= CHECKED || check(e))) {
            long s = ticks(START_TICKS, e);
            long en = ticks(END_TICKS, e);
            return s == en ? 0 : convert(en) - convert(s);
        }
        return e.getDuration().toNanos();
    }

    /** Whether the values since the last {@link #begin} came from the ticks (so far: every check agreed). */
    public boolean fromTicks() {
        return raw;
    }

    /** {@code Instant.toEpochMilli()} of an instant {@code nanos} after the epoch. */
    public static long millis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    private long convert(long ticks) {
        long d = ticks - chunkStartTicks;
        // nanosecond ticks (Linux without JFR's fast time): dividing by 1.0 returns every delta below 2^53 exactly
        if (divisor == 1.0 && d > -EXACT && d < EXACT) {
            return chunkStartNanos + d;
        }
        return chunkStartNanos + (long) (d / divisor);
    }

    /** Compares one event both ways; a difference turns the raw path off until the next {@link #begin}. */
    private boolean check(RecordedEvent e) {
        long s = ticks(START_TICKS, e);
        long en = ticks(END_TICKS, e);
        boolean same = convert(s) == nanos(e.getStartTime()) && convert(en) == nanos(e.getEndTime())
                && (s == en ? 0 : convert(en) - convert(s)) == e.getDuration().toNanos();
        checked++;
        raw = same;
        return same;
    }

    private static long nanos(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static long ticks(MethodHandle field, RecordedEvent e) {
        try {
            return (long) field.invokeExact(e);
        } catch (Throwable t) {
            throw new IllegalStateException("reading a RecordedEvent tick field", t);
        }
    }

    /** A getter of a private long field of RecordedEvent: through the opened module, else Unsafe (JDK 17–23). */
    private static MethodHandle longField(String name) {
        return FieldValues.privateField(RecordedEvent.class, name, long.class);
    }
}
