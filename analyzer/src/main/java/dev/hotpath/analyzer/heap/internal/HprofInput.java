package dev.hotpath.analyzer.heap.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Big-endian reads over a {@link FileChannel} through one heap buffer window. Sequential reads refill the window;
 * {@link #seek} inside the window is free, outside it costs one refill. Reading past the end of the file throws
 * {@link EOFException}, which the scanner turns into a "truncated at byte N" note.
 *
 * <p>Not thread-safe: one instance per reading thread.
 */
public final class HprofInput {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf;
    private long bufStart;
    private int idSize = 8;

    public HprofInput(FileChannel channel, int windowBytes) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.buf = ByteBuffer.allocate(windowBytes);
        this.buf.limit(0);
    }

    public void idSize(int idSize) {
        this.idSize = idSize;
    }

    public int idSize() {
        return idSize;
    }

    public long size() {
        return size;
    }

    public long position() {
        return bufStart + buf.position();
    }

    public void seek(long pos) throws IOException {
        if (pos >= bufStart && pos <= bufStart + buf.limit()) {
            buf.position((int) (pos - bufStart));
            return;
        }
        bufStart = pos;
        buf.clear().limit(0);
    }

    private void ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        long pos = position();
        buf.compact(); // the unread bytes move to index 0, which is file position pos
        bufStart = pos;
        while (buf.position() < n) {
            int r = channel.read(buf, bufStart + buf.position());
            if (r < 0) {
                buf.flip();
                throw new EOFException("end of file at byte " + (bufStart + buf.limit()));
            }
        }
        buf.flip();
    }

    public int u1() throws IOException {
        ensure(1);
        return buf.get() & 0xff;
    }

    public byte i1() throws IOException {
        ensure(1);
        return buf.get();
    }

    public int u2() throws IOException {
        ensure(2);
        return buf.getShort() & 0xffff;
    }

    public short i2() throws IOException {
        ensure(2);
        return buf.getShort();
    }

    public int i4() throws IOException {
        ensure(4);
        return buf.getInt();
    }

    public long u4() throws IOException {
        return i4() & 0xffffffffL;
    }

    public long i8() throws IOException {
        ensure(8);
        return buf.getLong();
    }

    public long id() throws IOException {
        return idSize == 8 ? i8() : u4();
    }

    /** Reads {@code n} bytes into a new array; callers keep n small (names, string contents). */
    public byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        int done = 0;
        while (done < n) {
            int chunk = Math.min(n - done, buf.capacity());
            ensure(chunk);
            buf.get(b, done, chunk);
            done += chunk;
        }
        return b;
    }

    /** Reads {@code n} bytes into {@code dst[0..n)}. */
    public void readInto(byte[] dst, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int chunk = Math.min(n - done, buf.capacity());
            ensure(chunk);
            buf.get(dst, done, chunk);
            done += chunk;
        }
    }

    /** Skips {@code n} bytes; throws EOFException when that goes past the end of the file. */
    public void skip(long n) throws IOException {
        long target = position() + n;
        if (target > size) {
            seek(size);
            throw new EOFException("end of file at byte " + size);
        }
        seek(target);
    }

    /** Reads one value of an HPROF basic type as a long (object ids included). */
    public long value(int type) throws IOException {
        switch (type) {
            case HprofTypes.OBJECT: return id();
            case HprofTypes.BOOLEAN: case HprofTypes.BYTE: return i1();
            case HprofTypes.CHAR: return u2();
            case HprofTypes.SHORT: return i2();
            case HprofTypes.FLOAT: case HprofTypes.INT: return i4();
            case HprofTypes.DOUBLE: case HprofTypes.LONG: return i8();
            default: throw new IOException("unknown basic type " + type + " at byte " + position());
        }
    }
}
