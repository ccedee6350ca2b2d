package dev.hotpath.analyzer.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collapsed stacks ({@code root;…;leaf} → samples and weight), bounded: at most {@code maxStacks} distinct stacks are
 * kept, later new stacks are added to a single {@code (other)} entry so that totals stay exact while memory stays
 * fixed. Weight is in the profile's unit (samples, bytes or nanoseconds). Not thread-safe.
 */
public final class CollapsedProfile {
    public static final String OTHER = "(other)";
    public static final int DEFAULT_MAX_STACKS = 20_000;

    private final Map<String, long[]> stacks = new HashMap<>();
    private final int maxStacks;
    private long samples;
    private long weight;

    public CollapsedProfile() {
        this(DEFAULT_MAX_STACKS);
    }

    public CollapsedProfile(int maxStacks) {
        this.maxStacks = maxStacks;
    }

    public void add(String stack, long sampleCount, long w) {
        long[] v = stacks.get(stack);
        if (v == null) {
            if (stacks.size() >= maxStacks) {
                stack = OTHER;
                v = stacks.get(OTHER);
            }
            if (v == null) {
                v = new long[2];
                stacks.put(stack, v);
            }
        }
        v[0] = plus(v[0], sampleCount);
        v[1] = plus(v[1], w);
        samples = plus(samples, sampleCount);
        weight = plus(weight, w);
    }

    /**
     * Counts and weights are non-negative; a sum past {@code Long.MAX_VALUE} (collapsed files with huge counts, such as
     * allocated bytes summed by a converter) stays there instead of wrapping to a negative total that would hide the
     * profile from every rule.
     */
    static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    public void addAll(CollapsedProfile other) {
        for (Map.Entry<String, long[]> e : other.stacks.entrySet()) {
            add(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
    }

    public long samples() {
        return samples;
    }

    public long weight() {
        return weight;
    }

    public int distinctStacks() {
        return stacks.size();
    }

    /** One method (or frame) with its share of the profile. */
    public record Share(String frame, long samples, long weight) {
    }

    /** Leaf frames by weight (self time / bytes allocated right there). */
    public List<Share> self(int limit) {
        Map<String, long[]> by = new HashMap<>();
        for (Map.Entry<String, long[]> e : stacks.entrySet()) {
            String s = e.getKey();
            String leaf = s.substring(s.lastIndexOf(';') + 1);
            accumulate(by, leaf, e.getValue());
        }
        return top(by, limit);
    }

    /** Every frame by the weight of the stacks it appears in, counted once per stack (total / inclusive). */
    public List<Share> total(int limit) {
        Map<String, long[]> by = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, long[]> e : stacks.entrySet()) {
            seen.clear();
            for (String f : e.getKey().split(";")) {
                if (seen.add(f)) {
                    accumulate(by, f, e.getValue());
                }
            }
        }
        return top(by, limit);
    }

    /** The deepest application frame of each stack (see {@link Frames#isRuntime}), or the leaf when none. */
    public List<Share> appFrames(int limit) {
        Map<String, long[]> by = new HashMap<>();
        for (Map.Entry<String, long[]> e : stacks.entrySet()) {
            accumulate(by, appFrame(e.getKey()), e.getValue());
        }
        return top(by, limit);
    }

    public static String appFrame(String stack) {
        String[] frames = stack.split(";");
        for (int i = frames.length - 1; i >= 0; i--) {
            if (!Frames.isRuntime(frames[i])) {
                return frames[i];
            }
        }
        return frames[frames.length - 1];
    }

    private static void accumulate(Map<String, long[]> by, String key, long[] v) {
        long[] a = by.computeIfAbsent(key, k -> new long[2]);
        a[0] = plus(a[0], v[0]);
        a[1] = plus(a[1], v[1]);
    }

    private static List<Share> top(Map<String, long[]> by, int limit) {
        List<Share> list = new ArrayList<>(by.size());
        for (Map.Entry<String, long[]> e : by.entrySet()) {
            list.add(new Share(e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        list.sort(Comparator.comparingLong(Share::weight).reversed().thenComparing(Share::frame));
        return list.size() > limit ? new ArrayList<>(list.subList(0, limit)) : list;
    }

    /** The heaviest {@code limit} stacks for a flame graph: {@code [{"stack":…,"samples":…,"weight":…}]}. */
    public List<Object> toJson(int limit) {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(stacks.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed()
                .thenComparing(Map.Entry::getKey));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < entries.size() && i < limit; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stack", entries.get(i).getKey());
            m.put("samples", entries.get(i).getValue()[0]);
            m.put("weight", entries.get(i).getValue()[1]);
            out.add(m);
        }
        return out;
    }
}
