package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.AsyncOp;
import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.Recorder;
import net.bytebuddy.asm.Advice;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Future;

/**
 * Advice for AsynchronousFileChannel on Linux ({@code sun.nio.ch.SimpleAsynchronousFileChannelImpl}, JDK 17 and 25):
 * both public forms of read and write funnel into {@code implRead/implWrite(ByteBuffer, long, A, CompletionHandler)},
 * which run the I/O on a pool thread. The call site is resolved at submission, on the caller's thread; the operation
 * is recorded at completion with the byte count the channel reports: through a wrapper of the application's handler,
 * or, for the Future form, at {@code PendingFuture.setResult(V, Throwable)}. The target comes from
 * {@code UnixChannelFactory.newAsynchronousFileChannel(UnixPath, ...)}, since the channel keeps no path on JDK 17.
 * The access pattern is classified at submission with the requested length, since completions may be recorded out
 * of order.
 */
public final class AsyncFileChannelAdvice {
    private AsyncFileChannelAdvice() {
    }

    public static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static AsyncOp enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer buffer,
                             @Advice.Argument(1) long position,
                             @Advice.Argument(value = 3, readOnly = false) CompletionHandler<?, ?> handler) {
            AsyncOp a = Recorder.asyncSubmit(Recorder.fileState(self, null), Ops.READ, position, buffer.remaining());
            handler = Recorder.asyncHandler(a, handler);
            return a;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter AsyncOp a, @Advice.Return Future<?> f, @Advice.Thrown Throwable t) {
            Recorder.asyncReturned(a, f, t);
        }
    }

    public static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static AsyncOp enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer buffer,
                             @Advice.Argument(1) long position,
                             @Advice.Argument(value = 3, readOnly = false) CompletionHandler<?, ?> handler) {
            AsyncOp a = Recorder.asyncSubmit(Recorder.fileState(self, null), Ops.WRITE, position, buffer.remaining());
            handler = Recorder.asyncHandler(a, handler);
            return a;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter AsyncOp a, @Advice.Return Future<?> f, @Advice.Thrown Throwable t) {
            Recorder.asyncReturned(a, f, t);
        }
    }

    /** {@code PendingFuture.setResult(V, Throwable)}: completes a Future-form operation. */
    public static final class SetResult {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) Object result,
                         @Advice.Argument(1) Throwable exc) {
            Recorder.futureSet(self, result, exc);
        }
    }

    /** {@code UnixChannelFactory.newAsynchronousFileChannel(UnixPath, ...)}: the channel's target is the path. */
    public static final class Open {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object path, @Advice.Return Object channel) {
            Recorder.fileState(channel, path.toString());
        }
    }
}
