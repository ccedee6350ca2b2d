package dev.hotpath.samples.ingest;

import java.util.Arrays;

/** The open buffer of one partition: appended events, sealed into a {@link Segment} when full. Guarded by its lock. */
final class Partition {
    final String id;
    private byte[] buf;
    private int length;
    private int events;
    long windowEvents;
    private long nextSequence;

    Partition(String id, int initialCapacity) {
        this.id = id;
        this.buf = new byte[initialCapacity];
    }

    void append(byte[] src, int off, int len) {
        if (length + len + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + len + 1));
        }
        System.arraycopy(src, off, buf, length, len);
        length += len;
        buf[length++] = '\n';
        events++;
        windowEvents++;
    }

    int length() {
        return length;
    }

    boolean isEmpty() {
        return events == 0;
    }

    Segment seal() {
        Segment s = new Segment(id, nextSequence++, buf, length, events);
        buf = new byte[Math.max(1024, Math.min(buf.length, 1 << 20))];
        length = 0;
        events = 0;
        return s;
    }
}
