package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.bootstrap.StreamState;
import net.bytebuddy.asm.Advice;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * Advice for {@code sun.nio.ch.NioSocketImpl}, the implementation behind {@code java.net.Socket} and
 * {@code ServerSocket} on JDK 17 and 25. Its private {@code read(byte[],int,int)} / {@code write(byte[],int,int)} are
 * the funnels every socket-stream read and write goes through (the stream's single-byte forms call them);
 * {@code connect(SocketAddress,int)} is where the other connect overloads end; {@code accept(SocketImpl)} runs on the
 * listening socket. The target is the peer from SocketImpl's {@code address}/{@code port} fields (for accept: the
 * listening address and {@code localport}; for a socket accepted on that port: the peer's host, see
 * {@link Recorder#socketState(Object, Object, int, int)}).
 */
public final class SocketAdvice {
    private SocketAdvice() {
    }

    public static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("address") InetAddress address,
                                 @Advice.FieldValue("port") int port, @Advice.FieldValue("localport") int localPort,
                                 @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Local("start") long start) {
            StreamState st = Recorder.socketState(self, address, port, localPort, fd);
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
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("address") InetAddress address,
                                 @Advice.FieldValue("port") int port, @Advice.FieldValue("localport") int localPort,
                                 @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Local("start") long start) {
            StreamState st = Recorder.socketState(self, address, port, localPort, fd);
            start = Recorder.clock(st, Ops.WRITE);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start,
                         @Advice.Argument(2) int len, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.WRITE, start, t == null ? len : 0, Ops.NONE, t);
        }
    }

    public static final class Connect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static StreamState enter(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote,
                                 @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Local("start") long start) {
            StreamState st = Recorder.socketState(self, remote, 0, fd);
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
        static StreamState enter(@Advice.This Object self, @Advice.FieldValue("address") InetAddress address,
                                 @Advice.FieldValue("localport") int localPort,
                                 @Advice.FieldValue("fd") FileDescriptor fd, @Advice.Local("start") long start) {
            StreamState st = Recorder.acceptState(self, address, localPort, Recorder.fd(fd));
            start = Recorder.clock(st, Ops.ACCEPT);
            return st;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter StreamState st, @Advice.Local("start") long start, @Advice.Thrown Throwable t) {
            Recorder.end(st, Ops.ACCEPT, start, 0, Ops.NONE, t);
        }
    }
}
