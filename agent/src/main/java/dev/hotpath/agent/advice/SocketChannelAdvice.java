package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.bootstrap.StreamState;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;

/**
 * Advice for {@code sun.nio.ch.SocketChannelImpl} (read/write, scatter/gather, connect) and
 * {@code sun.nio.ch.ServerSocketChannelImpl.accept()}. The target is the channel's {@code remoteAddress} field (for
 * connect: the argument; for accept: the listening {@code localAddress}; for a channel accepted on that port: the
 * peer's host, see {@link Recorder#socketState(Object, Object, int, int)}). A non-blocking read that finds no data is
 * an operation with 0 bytes.
 */
public final class SocketChannelAdvice {
    private SocketChannelAdvice() {
    }

    public static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                                 @Advice.FieldValue("localAddress") SocketAddress local,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.channelState(self, remote, local, fdVal);
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, Ops.NONE, t);
        }
    }

    public static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                                 @Advice.FieldValue("localAddress") SocketAddress local,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.channelState(self, remote, local, fdVal);
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, n > 0 ? n : 0, Ops.NONE, t);
        }
    }

    public static final class ReadScatter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                                 @Advice.FieldValue("localAddress") SocketAddress local,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.channelState(self, remote, local, fdVal);
            start = Recorder.clock(st, Ops.READ);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.READ, start, n > 0 ? n : 0, Ops.NONE, t);
        }
    }

    public static final class WriteGather {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                                 @Advice.FieldValue("localAddress") SocketAddress local,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.channelState(self, remote, local, fdVal);
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, n > 0 ? n : 0, Ops.NONE, t);
        }
    }

    public static final class Connect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.channelState(self, remote, null, fdVal);
            start = Recorder.clock(st, Ops.CONNECT);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.CONNECT, start, 0, Ops.NONE, t);
        }
    }

    public static final class Accept {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("localAddress") SocketAddress local,
                                 @Advice.FieldValue("fdVal") int fdVal, @Advice.Local("start") long start) {
            StreamState st = Recorder.acceptState(self, local, 0, fdVal);
            start = Recorder.clock(st, Ops.ACCEPT);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.ACCEPT, start, 0, Ops.NONE, t);
        }
    }
}
