package dev.hotpath.samples.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects a sequential epoch over numbered shards ({@code train/shard-00041.bin}, then {@code ...00042.bin}) and
 * names the shards to prefetch. A stream is the key with its last number removed; it is sequential once two
 * accesses in a row advanced its highest number by 1 or 2 (several readers of one epoch interleave, so a step of 2
 * or a straggler just behind the front does not break the run). The number keeps its zero-padded width.
 */
final class SequentialDetector {
    private static final Pattern NUMBERED = Pattern.compile("^(.*?)(\\d+)(\\D*)$");

    private final int depth;
    private final ConcurrentHashMap<String, long[]> streams = new ConcurrentHashMap<>(); // {last, run}

    SequentialDetector(int depth) {
        this.depth = depth;
    }

    /** Records an access; returns the keys to prefetch (empty unless the stream is sequential). */
    String[] onAccess(String key) {
        if (depth <= 0) {
            return new String[0];
        }
        Matcher m = NUMBERED.matcher(key);
        if (!m.matches() || m.group(2).length() > 18) {
            return new String[0];
        }
        String stream = m.group(1) + "#" + m.group(3);
        long n = Long.parseLong(m.group(2));
        long[] state = streams.computeIfAbsent(stream, s -> new long[] {Long.MIN_VALUE, 0});
        boolean sequential;
        synchronized (state) {
            long front = state[0];
            if (front == Long.MIN_VALUE) {
                state[0] = n;
                state[1] = 1;
            } else if (n > front && n - front <= 2) {
                state[1]++;
                state[0] = n;
            } else if (n <= front && front - n < 4) {
                return new String[0]; // straggler of the same epoch: neither advances nor breaks the run
            } else {
                state[1] = 1;
                state[0] = n;
            }
            sequential = state[1] >= 2;
        }
        if (!sequential) {
            return new String[0];
        }
        String[] next = new String[depth];
        int width = m.group(2).length();
        for (int i = 0; i < depth; i++) {
            String num = Long.toString(n + 1 + i);
            if (num.length() < width) {
                num = "0".repeat(width - num.length()) + num;
            }
            next[i] = m.group(1) + num + m.group(3);
        }
        return next;
    }
}
