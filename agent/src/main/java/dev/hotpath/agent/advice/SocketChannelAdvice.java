package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;

/**
 * Advice for {@code sun.nio.ch.SocketChannelImpl} (read/write, scatter/gather, connect) and
 * {@code sun.nio.ch.ServerSocketChannelImpl.accept()}. The target is the channel's {@code remoteAddress} field (for
 * connect: the argument; for accept: the listening {@code localAddress}). A non-blocking read that finds no data is
 * an operation with 0 bytes.
 */
public final class SocketChannelAdvice {
    private SocketChannelAdvice() {
    }

    public static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.Enter long start, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.socket(self, remote, 0, Ops.READ, start, n > 0 ? n : 0, t);
        }
    }

    public static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.Enter long start, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Recorder.socket(self, remote, 0, Ops.WRITE, start, n > 0 ? n : 0, t);
        }
    }

    public static final class ReadScatter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.Enter long start, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.socket(self, remote, 0, Ops.READ, start, n > 0 ? n : 0, t);
        }
    }

    public static final class WriteGather {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.Enter long start, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Recorder.socket(self, remote, 0, Ops.WRITE, start, n > 0 ? n : 0, t);
        }
    }

    public static final class Connect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote, @Advice.Enter long start,
                         @Advice.Thrown Throwable t) {
            Recorder.socket(self, remote, 0, Ops.CONNECT, start, 0, t);
        }
    }

    public static final class Accept {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return Recorder.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("localAddress") SocketAddress local,
                         @Advice.Enter long start, @Advice.Thrown Throwable t) {
            Recorder.socket(self, local, 0, Ops.ACCEPT, start, 0, t);
        }
    }
}
