package dev.hotpath.agent.bootstrap;

/**
 * One AsynchronousFileChannel read or write between its submission (on the caller's thread, where its call site is
 * resolved) and its completion (usually on a pool thread, where the stack holds no user frame). Whichever completion
 * path sees it first claims it, so it is recorded exactly once.
 */
public final class AsyncOp {
    final StreamState state;
    final SiteCounter counter;
    final int op;
    /** 1 sequential, 2 random: classified at submission. */
    final int pattern;
    final long start;
    private boolean claimed;

    AsyncOp(StreamState state, SiteCounter counter, int op, int pattern, long start) {
        this.state = state;
        this.counter = counter;
        this.op = op;
        this.pattern = pattern;
        this.start = start;
    }

    /** True for the first caller only. */
    synchronized boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }
}
