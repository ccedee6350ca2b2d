package dev.hotpath.analyzer.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The entry point {@code ./test --fuzz MINUTES} hands to Jazzer's own driver, one target per run: the JUnit
 * integration fixes a fuzz test's duration in its annotation, the driver takes {@code -max_total_time} and writes
 * crashes where it is told ({@code -artifact_prefix}: the target's inputs directory, so each becomes a regression
 * input of {@link ReaderFuzzTest} or {@link DetectorFuzzTest}). {@code -Dhotpath.fuzz.target} names the target: a
 * {@link ReaderFuzzTest} method ({@code jfr}, {@code hprofGz}, ...) or {@code detect}.
 */
public final class FuzzEntry {
    private static final String TARGET = System.getProperty("hotpath.fuzz.target", "");
    private static final Format FORMAT = format(TARGET);
    private static final DetectorFuzzTest DETECTOR = new DetectorFuzzTest();

    private FuzzEntry() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (FORMAT == null) {
            try {
                DETECTOR.detect(input);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            ReaderFuzzTest.check(FORMAT, input);
        }
    }

    private static Format format(String target) {
        if (target.equals("detect")) {
            return null;
        }
        for (Format f : Format.values()) {
            if (f.method().equals(target)) {
                return f;
            }
        }
        throw new IllegalArgumentException("-Dhotpath.fuzz.target: unknown target '" + target + "'");
    }
}
