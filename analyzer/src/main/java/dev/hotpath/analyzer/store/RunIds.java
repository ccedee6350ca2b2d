package dev.hotpath.analyzer.store;

import java.security.SecureRandom;

/**
 * Run ids that sort by creation time: 26 characters of Crockford base32, the first 10 the milliseconds since the
 * epoch, the last 16 random (the ULID layout). Ids made in one JVM within the same millisecond are increasing, so a
 * process never hands out two equal or out-of-order ids. Thread-safe.
 */
final class RunIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long RANDOM_HALF_LIMIT = 1L << 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static long lastMillis = -1;
    private static long randomHigh;
    private static long randomLow;

    private RunIds() {
    }

    static synchronized String next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            randomHigh = RANDOM.nextLong() & (RANDOM_HALF_LIMIT - 1);
            randomLow = RANDOM.nextLong() & (RANDOM_HALF_LIMIT - 1);
        } else if (++randomLow == RANDOM_HALF_LIMIT) {
            // Same millisecond (or the clock stepped back): count up from the last id instead of drawing again.
            randomLow = 0;
            randomHigh = (randomHigh + 1) & (RANDOM_HALF_LIMIT - 1);
        }
        char[] out = new char[26];
        encode(lastMillis, out, 0, 10);
        encode(randomHigh, out, 10, 8);
        encode(randomLow, out, 18, 8);
        return new String(out);
    }

    static String next() {
        return next(System.currentTimeMillis());
    }

    private static void encode(long value, char[] out, int offset, int chars) {
        for (int i = chars - 1; i >= 0; i--) {
            out[offset + i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }
}
