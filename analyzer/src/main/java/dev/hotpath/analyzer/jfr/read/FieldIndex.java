package dev.hotpath.analyzer.jfr.read;

import java.util.Arrays;

/**
 * The positions of a handler's fields in each event type it reads, worked out once per type object (a chunk has one
 * per type) rather than per event; -1 where a type lacks a field, which the getters then reject as the consumer's
 * by-name getters do. Not thread-safe: one per handler.
 */
public final class FieldIndex {
    private final String[] names;
    private JfrType[] types = new JfrType[4];
    private int[][] positions = new int[4][];
    private int count;

    public FieldIndex(String... names) {
        this.names = names.clone();
    }

    /** The positions of the names (in the constructor's order) in {@code t}. */
    public int[] of(JfrType t) {
        for (int i = count - 1; i >= 0; i--) {
            if (types[i] == t) {
                return positions[i];
            }
        }
        return learn(t);
    }

    /**
     * A type seen for the first time (once per type and chunk): apart from {@link #of}, which every event of a
     * handler calls, so that the compiled event paths hold just the lookup, not the by-name field search.
     */
    private int[] learn(JfrType t) {
        int[] p = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            p[i] = t.field(names[i]);
        }
        if (count == types.length) {
            types = Arrays.copyOf(types, count * 2);
            positions = Arrays.copyOf(positions, count * 2);
        }
        types[count] = t;
        positions[count++] = p;
        return p;
    }
}
