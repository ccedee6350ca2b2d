package dev.hotpath.agent.bootstrap;

import java.nio.channels.CompletionHandler;

/**
 * Stands in for the application's CompletionHandler of an AsynchronousFileChannel read/write: records the operation
 * with the result the channel reports, then calls the application's handler with the same arguments (its exceptions
 * propagate unchanged, as they would without the agent).
 */
final class AsyncHandler implements CompletionHandler<Integer, Object> {
    private final AsyncOp op;
    private final CompletionHandler<Integer, Object> delegate;

    AsyncHandler(AsyncOp op, CompletionHandler<Integer, Object> delegate) {
        this.op = op;
        this.delegate = delegate;
    }

    @Override
    public void completed(Integer result, Object attachment) {
        Recorder.asyncDone(op, result, null);
        delegate.completed(result, attachment);
    }

    @Override
    public void failed(Throwable exc, Object attachment) {
        Recorder.asyncDone(op, null, exc);
        delegate.failed(exc, attachment);
    }
}
