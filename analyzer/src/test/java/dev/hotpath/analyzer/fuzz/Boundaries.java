package dev.hotpath.analyzer.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Record boundaries of the binary seeds, so that a sweep cuts, repeats and reorders whole records and sets the length
 * fields where they really sit. Walks stop quietly at anything they do not understand: a seed is real, not trusted.
 */
final class Boundaries {
    private Boundaries() {
    }

    /**
     * JFR (format 2.x): every chunk start, and inside each chunk every event and checkpoint start (each begins with
     * its size, a LEB128-style varint when the chunk header's compressed-integers flag is set, else a big-endian u4).
     */
    static int[] jfr(byte[] b) {
        TreeSet<Integer> out = new TreeSet<>();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int chunk = 0;
        while (chunk + 68 <= b.length && b[chunk] == 'F' && b[chunk + 1] == 'L' && b[chunk + 2] == 'R') {
            out.add(chunk);
            long size = buf.getLong(chunk + 8);
            if (size < 68 || chunk + size > b.length) {
                break;
            }
            boolean compressed = (buf.getInt(chunk + 64) & 1) != 0;
            int p = chunk + 68;
            while (p < chunk + size && out.size() < 20_000) {
                out.add(p);
                long[] v = compressed ? varint(b, p) : new long[] {Integer.toUnsignedLong(buf.getInt(p)), 4};
                if (v == null || v[0] <= 0) {
                    break;
                }
                p += (int) v[0];
            }
            chunk += (int) size;
        }
        return toArray(out);
    }

    /** {value, bytes used}, or null when the varint runs off the end. */
    private static long[] varint(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 9 && p + i < b.length; i++) {
            int x = b[p + i] & 0xff;
            if (i == 8) {
                return new long[] {v | ((long) x << 56), 9};
            }
            v |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                return new long[] {v, i + 1};
            }
        }
        return null;
    }

    /**
     * HPROF: every top-level record (tag u1, time u4, length u4) and, inside heap-dump segments, every sub-record
     * (roots, class dumps, instance dumps, object and primitive arrays), for identifiers of the dump's own size.
     */
    static int[] hprof(byte[] b) {
        TreeSet<Integer> out = new TreeSet<>();
        int nul = 0;
        while (nul < b.length && b[nul] != 0) {
            nul++;
        }
        if (nul + 13 > b.length) {
            return new int[0];
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int id = buf.getInt(nul + 1);
        if (id != 4 && id != 8) {
            return new int[0];
        }
        int p = nul + 1 + 4 + 8;
        while (p + 9 <= b.length && out.size() < 20_000) {
            out.add(p);
            int tag = b[p] & 0xff;
            long length = Integer.toUnsignedLong(buf.getInt(p + 5));
            long end = p + 9 + length;
            if (end > b.length) {
                break;
            }
            if (tag == 0x0c || tag == 0x1c) {
                subRecords(buf, p + 9, (int) end, id, out);
            }
            p = (int) end;
        }
        return toArray(out);
    }

    private static void subRecords(ByteBuffer b, int p, int end, int id, TreeSet<Integer> out) {
        while (p < end && out.size() < 20_000) {
            out.add(p);
            int tag = b.get(p) & 0xff;
            int q = p + 1;
            long next;
            switch (tag) {
                case 0xff, 0x05, 0x07 -> next = q + id;
                case 0x01 -> next = q + 2L * id;
                case 0x02, 0x03, 0x08 -> next = q + id + 8L;
                case 0x04, 0x06 -> next = q + id + 4L;
                case 0x20 -> next = classDump(b, q, id);
                case 0x21 -> next = q + id + 4L + id + 4 + Integer.toUnsignedLong(b.getInt(q + id + 4 + id));
                case 0x22 -> next = q + id + 4L + 4 + id + Integer.toUnsignedLong(b.getInt(q + id + 4)) * id;
                case 0x23 -> next = q + id + 4L + 4 + 1
                        + Integer.toUnsignedLong(b.getInt(q + id + 4)) * size(b.get(q + id + 8), id);
                default -> next = end;
            }
            if (next <= p || next >= end) {
                return;
            }
            p = (int) next;
        }
    }

    private static int classDump(ByteBuffer b, int q, int id) {
        q += id + 4 + 6 * id + 4;
        int constants = b.getShort(q) & 0xffff;
        q += 2;
        for (int i = 0; i < constants; i++) {
            q += 3 + size(b.get(q + 2), id);
        }
        int statics = b.getShort(q) & 0xffff;
        q += 2;
        for (int i = 0; i < statics; i++) {
            q += id + 1 + size(b.get(q + id), id);
        }
        int fields = b.getShort(q) & 0xffff;
        return q + 2 + fields * (id + 1);
    }

    private static int size(byte type, int id) {
        return switch (type) {
            case 2 -> id;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> 1 << 20;
        };
    }

    /** gzip: every member start (magic 1f 8b), and every {@code step} bytes inside members. */
    static int[] gzip(byte[] b, int step) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0x1f && (b[i + 1] & 0xff) == 0x8b && i + 3 < b.length && b[i + 2] == 8) {
                out.add(i);
            }
        }
        for (int i = 0; i < b.length; i += step) {
            out.add(i);
        }
        return toArray(out);
    }

    private static int[] toArray(TreeSet<Integer> set) {
        List<Integer> list = new ArrayList<>(set);
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
