package dev.hotpath.analyzer.heap.internal;

import java.io.IOException;

/**
 * The class index of every node: a char per node when the dump has fewer than 2^16 classes (nearly always), else an
 * int; paged ({@link Paging}), so the node count may pass 2^31. Written by pass 2 (two threads, each to its own
 * records' nodes: the pages exist from the start), read everywhere after. Goes to an index file while the dominator
 * step needs the room ({@link #write}, {@link #read}).
 */
public abstract class ClassColumn {
    public static ClassColumn of(long nodes, int classes) {
        return classes < Character.MAX_VALUE ? new Chars(nodes) : new Ints(nodes);
    }

    public abstract int get(long node);

    public abstract void set(long node, int classIndex);

    public abstract long length();

    /** Writes the column to an index file of ints. */
    public SpilledArray write(SpillDir dir, String name) throws IOException {
        SpilledArray.Writer w = dir.writer(name, 4);
        long n = length();
        for (long v = 0; v < n; v++) {
            w.add(get(v));
        }
        return w.finish();
    }

    /** Reads a column written by {@link #write} back into memory. */
    public static ClassColumn read(SpilledArray file, int classes) {
        ClassColumn c = of(file.length(), classes);
        SpilledArray.Window in = file.window();
        long n = c.length();
        for (long v = 0; v < n; v++) {
            c.set(v, (int) in.get(v));
        }
        return c;
    }

    private static final class Chars extends ClassColumn {
        private final CharPages a;

        Chars(long n) {
            a = new CharPages(n);
        }

        @Override
        public int get(long node) {
            return a.get(node);
        }

        @Override
        public void set(long node, int classIndex) {
            a.set(node, (char) classIndex);
        }

        @Override
        public long length() {
            return a.length();
        }
    }

    private static final class Ints extends ClassColumn {
        private final IntPages a;

        Ints(long n) {
            a = new IntPages(n);
        }

        @Override
        public int get(long node) {
            return a.getInt(node);
        }

        @Override
        public void set(long node, int classIndex) {
            a.setInt(node, classIndex);
        }

        @Override
        public long length() {
            return a.length();
        }
    }
}
