package dev.hotpath.analyzer.heap.internal;

import java.io.IOException;

/**
 * The class index of every node: a char per node when the dump has fewer than 2^16 classes (nearly always), else an
 * int. Written by pass 2 (two threads, each to its own records' nodes), read everywhere after. Goes to an index
 * file while the dominator step needs the room ({@link #write}, {@link #read}).
 */
public abstract class ClassColumn {
    public static ClassColumn of(int nodes, int classes) {
        return classes < Character.MAX_VALUE ? new Chars(nodes) : new Ints(nodes);
    }

    public abstract int get(int node);

    public abstract void set(int node, int classIndex);

    public abstract int length();

    /** Writes the column to an index file of ints. */
    public SpilledArray write(SpillDir dir, String name) throws IOException {
        SpilledArray.Writer w = dir.writer(name, 4);
        for (int v = 0; v < length(); v++) {
            w.add(get(v));
        }
        return w.finish();
    }

    /** Reads a column written by {@link #write} back into memory. */
    public static ClassColumn read(SpilledArray file, int classes) {
        ClassColumn c = of((int) file.length(), classes);
        SpilledArray.Window in = file.window();
        for (int v = 0; v < c.length(); v++) {
            c.set(v, in.get(v));
        }
        return c;
    }

    private static final class Chars extends ClassColumn {
        private final char[] a;

        Chars(int n) {
            a = new char[n];
        }

        @Override
        public int get(int node) {
            return a[node];
        }

        @Override
        public void set(int node, int classIndex) {
            a[node] = (char) classIndex;
        }

        @Override
        public int length() {
            return a.length;
        }
    }

    private static final class Ints extends ClassColumn {
        private final int[] a;

        Ints(int n) {
            a = new int[n];
        }

        @Override
        public int get(int node) {
            return a[node];
        }

        @Override
        public void set(int node, int classIndex) {
            a[node] = classIndex;
        }

        @Override
        public int length() {
            return a.length;
        }
    }
}
