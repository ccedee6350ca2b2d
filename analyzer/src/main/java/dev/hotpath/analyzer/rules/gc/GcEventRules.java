package dev.hotpath.analyzer.rules.gc;

/** Shared text for the count-based gc rules. */
final class GcEventRules {
    private GcEventRules() {
    }

    static double perMinute(long count, long durationMs) {
        return durationMs <= 0 ? 0 : Math.round(count * 60_000.0 / durationMs * 10.0) / 10.0;
    }
}
