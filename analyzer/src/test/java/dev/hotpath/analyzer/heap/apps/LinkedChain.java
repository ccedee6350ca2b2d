package dev.hotpath.analyzer.heap.apps;

/**
 * A singly linked chain of {@code args[0]} nodes (default 300000) under a static field, each node holding a 16-byte
 * payload: dominators and paths to the root one link per level. Prints READY, then waits.
 */
public final class LinkedChain {
    public static final class Link {
        Link next;
        final byte[] payload = new byte[16];
    }

    static Link head;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        build(n);
        Ready.signalAndWait((Runnable) null);
    }

    /** In its own frame, so that no local of main still points at the chain when the dump is taken. */
    private static void build(int n) {
        Link h = null;
        for (int i = 0; i < n; i++) {
            Link x = new Link();
            x.next = h;
            h = x;
        }
        head = h;
    }
}
