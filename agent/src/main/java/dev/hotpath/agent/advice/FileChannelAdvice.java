package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.bootstrap.StreamState;
import net.bytebuddy.asm.Advice;

import java.io.FileDescriptor;
import java.nio.channels.FileChannel;

/**
 * Advice for {@code sun.nio.ch.FileChannelImpl} (what FileChannel.open, Files.newByteChannel/newInputStream and
 * getChannel() return on Linux, JDK 17 and 25). Its public read/write methods do not call each other; transferTo and
 * transferFrom may fall back to read/write/map on this or the other channel, so they are recorded as compound ops
 * (the inner primitives are not counted). {@code path} is the channel's private file name field.
 */
public final class FileChannelAdvice {
    private FileChannelAdvice() {
    }

    /** {@code read(ByteBuffer)} / {@code write(ByteBuffer)} at the channel position: int result. */
    public static final class ReadCurrent {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, Ops.CURRENT, t);
        }
    }

    public static final class WriteCurrent {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, n > 0 ? n : 0, Ops.CURRENT, t);
        }
    }

    /** Scattering read / gathering write {@code (ByteBuffer[], int, int)}: long result. */
    public static final class ReadScatter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, Ops.CURRENT, t);
        }
    }

    public static final class WriteGather {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, n > 0 ? n : 0, Ops.CURRENT, t);
        }
    }

    /** Positional {@code read(ByteBuffer, long)} / {@code write(ByteBuffer, long)}. */
    public static final class ReadAt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Argument(1) long position, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, position, t);
        }
    }

    public static final class WriteAt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Argument(1) long position, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, n > 0 ? n : 0, position, t);
        }
    }

    /** {@code force(boolean)}. */
    public static final class Force {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.FORCE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.FORCE, start, 0, Ops.NONE, t);
        }
    }

    /** {@code transferTo(long position, long count, WritableByteChannel)}: reads this file from position. */
    public static final class TransferTo {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.startCompound();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("path") String path,
                         @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Enter long start,
                         @Advice.Argument(0) long position, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.endCompound(self, path, Recorder.fd(fd), Ops.TRANSFER, start, n > 0 ? n : 0, position, t);
        }
    }

    /** {@code transferFrom(ReadableByteChannel, long position, long count)}: writes this file at position. */
    public static final class TransferFrom {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.startCompound();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("path") String path,
                         @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Enter long start,
                         @Advice.Argument(1) long position, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.endCompound(self, path, Recorder.fd(fd), Ops.TRANSFER, start, n > 0 ? n : 0, position, t);
        }
    }

    /** {@code map(MapMode, long position, long size)}: bytes is the mapped size (nothing is transferred yet). */
    public static final class Map {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("path") String path,
                                 @Advice.FieldValue("fd") FileDescriptor fd,
                                 @Advice.Local("start") long start) {
            StreamState st = Recorder.fileState(self, path, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.MAP);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Argument(2) long size, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.MAP, start, t == null ? size : 0, Ops.NONE, t);
        }
    }

    /** {@code position(long)}: moves where the next op at the current position starts. */
    public static final class Position {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("path") String path,
                         @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) long pos,
                         @Advice.Return FileChannel ignored, @Advice.Thrown Throwable t) {
            if (t == null) {
                Recorder.seek(self, path, Recorder.fd(fd), pos);
            }
        }
    }
}
