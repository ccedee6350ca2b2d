package dev.hotpath.samples.common;

/** HTTP byte ranges, single-range only: {first, last}; {-1, -1} if unsatisfiable; null if absent or not understood. */
public final class RangeSpec {
    private RangeSpec() {
    }

    public static long[] parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long n = Long.parseLong(b);
                return n == 0 || size == 0 ? new long[] {-1, -1} : new long[] {Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(a);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return null;
            }
            if (first >= size) {
                return new long[] {-1, -1};
            }
            return new long[] {first, b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
