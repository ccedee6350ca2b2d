package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.bootstrap.StreamState;
import net.bytebuddy.asm.Advice;

import java.io.FileDescriptor;

/**
 * Advice for FileInputStream, FileOutputStream and RandomAccessFile. Applied to the public read/write methods, which
 * on JDK 17 and JDK 25 call the natives (or private helpers) directly, never each other, so each call is counted once.
 * All three classes keep the file name in a private field {@code path} (null when built from a FileDescriptor).
 * Advice code is inlined into the JDK class; it only calls the bootstrap {@link Recorder} and never throws. Entry
 * looks the stream up once and reads the clock (if this op is timed); exit hands both back.
 */
public final class FileStreamAdvice {
    private FileStreamAdvice() {
    }

    /** {@code int read()}: one byte, or -1 at EOF. */
    public static final class ReadByte {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Return int value,
                         @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, t == null && value >= 0 ? 1 : 0, Ops.CURRENT, t);
        }
    }

    /** {@code int read(byte[])} and {@code int read(byte[], int, int)}: bytes read, or -1 at EOF. */
    public static final class ReadArray {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Return int n,
                         @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, Ops.CURRENT, t);
        }
    }

    /** {@code void write(int)}. */
    public static final class WriteByte {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, t == null ? 1 : 0, Ops.CURRENT, t);
        }
    }

    /** {@code void write(byte[])}. */
    public static final class WriteArray {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Argument(0) byte[] b,
                         @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, t == null ? b.length : 0, Ops.CURRENT, t);
        }
    }

    /** {@code void write(byte[], int off, int len)}. */
    public static final class WriteRange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Argument(2) int len,
                         @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, t == null ? len : 0, Ops.CURRENT, t);
        }
    }

    /** {@code RandomAccessFile.seek(long)}: moves where the next op starts (for the access pattern). */
    public static final class Seek {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("path") String path,
                         @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) long pos,
                         @Advice.Thrown Throwable t) {
            if (t == null) {
                Recorder.seek(self, path, Recorder.fd(fd), pos);
            }
        }
    }

    /** {@code FileInputStream.skip(long)}. */
    public static final class Skip {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("path") String path,
                         @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Return long skipped,
                         @Advice.Thrown Throwable t) {
            if (t == null) {
                Recorder.skip(self, path, Recorder.fd(fd), skipped);
            }
        }
    }
}
