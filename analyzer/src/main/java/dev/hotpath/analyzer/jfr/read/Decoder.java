package dev.hotpath.analyzer.jfr.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads JFR values at a position of a chunk's buffer: LEB128 varints (7 bits a byte, least significant first; a
 * 9th byte holds 8 bits), big-endian floats and doubles, and encoded strings (a byte: 0 null, 1 empty, 2 key into the
 * string pool, 3 UTF-8 bytes, 4 chars as varints, 5 Latin-1 bytes; lengths as varints). Reading past the chunk
 * throws, which makes the caller fall back. Not thread-safe.
 */
final class Decoder {
    final ByteBuffer buf;
    /** The chunk's bytes on the heap (the usual case: plain array reads), or null for a mapped big chunk. */
    private final byte[] a;
    private final int limit;
    int pos;

    Decoder(ByteBuffer buf, int limit) {
        this.buf = buf;
        this.a = buf.hasArray() && buf.arrayOffset() == 0 ? buf.array() : null;
        this.limit = limit;
    }

    /**
     * A varint. The fast path may read up to 9 bytes into the array's slack past the chunk (ChunkReader allocates
     * some), checking the end once: a bounds test per byte, or a slow path near the chunk's end, would be a branch
     * that the JIT sees taken only at the end of each chunk, and drops its compiled code there (an uncommon trap
     * per chunk, then a recompilation).
     */
    long varlong() {
        int p = pos;
        byte[] b = a;
        if (b == null || p + 9 > b.length) {
            return varlongSlow();
        }
        int x = b[p++];
        if (x >= 0) {
            return end(p, x);
        }
        long v = x & 0x7f;
        for (int i = 1; i < 8; i++) {
            x = b[p++];
            v |= (long) (x & 0x7f) << (7 * i);
            if (x >= 0) {
                return end(p, v);
            }
        }
        v |= (long) (b[p++] & 0xff) << 56;
        return end(p, v);
    }

    /** Moves to {@code p}, just past a value read on the fast path, which must have ended within the chunk. */
    private long end(int p, long v) {
        if (p > limit) {
            throw new UnreadableChunkException("value runs past the chunk");
        }
        pos = p;
        return v;
    }

    /** Steps over a varint without assembling its value (the walk over an event's fields). */
    void skipVarint() {
        int p = pos;
        byte[] b = a;
        if (b == null || p + 9 > b.length) {
            varlongSlow();
            return;
        }
        // up to 8 bytes carry a continuation bit; a 9th is always the last
        int last = p + 8;
        while (p < last && b[p] < 0) {
            p++;
        }
        end(p + 1, 0);
    }

    private long varlongSlow() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int x = u1();
            v |= (long) (x & 0x7f) << (7 * i);
            if (x < 0x80) {
                return v;
            }
        }
        return v | (long) u1() << 56;
    }

    int varint() {
        return (int) varlong();
    }

    int u1() {
        if (pos >= limit) {
            throw new UnreadableChunkException("value runs past the chunk");
        }
        return (a != null ? a[pos++] : buf.get(pos++)) & 0xff;
    }

    float f4() {
        check(4);
        float f = buf.getFloat(pos);
        pos += 4;
        return f;
    }

    double f8() {
        check(8);
        double d = buf.getDouble(pos);
        pos += 8;
        return d;
    }

    void skip(int n) {
        check(n);
        pos += n;
    }

    private void check(int n) {
        if (n < 0 || pos + n > limit || pos + n < 0) {
            throw new UnreadableChunkException("value runs past the chunk");
        }
    }

    /** An encoded string; {@code pools} resolves a string-pool key (null: the metadata, which has no pool). */
    String inlineString(Pools pools) {
        int enc = u1();
        switch (enc) {
            case 0:
                return null;
            case 1:
                return "";
            case 2:
                if (pools == null) {
                    throw new UnreadableChunkException("pooled string in metadata");
                }
                return pools.string(varlong());
            case 3:
            case 5: {
                int n = varint();
                check(n);
                byte[] bytes = new byte[n];
                buf.get(pos, bytes);
                pos += n;
                return new String(bytes, enc == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            }
            case 4: {
                int n = varint();
                check(n);
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) varlong();
                }
                return new String(chars);
            }
            default:
                throw new UnreadableChunkException("unknown string encoding " + enc);
        }
    }

    void skipString() {
        int enc = u1();
        switch (enc) {
            case 0, 1 -> { }
            case 2 -> varlong();
            case 3, 5 -> skip(varint());
            case 4 -> {
                int n = varint();
                check(n);
                for (int i = 0; i < n; i++) {
                    varlong();
                }
            }
            default -> throw new UnreadableChunkException("unknown string encoding " + enc);
        }
    }
}
