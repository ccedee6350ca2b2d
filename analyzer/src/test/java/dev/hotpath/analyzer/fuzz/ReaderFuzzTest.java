package dev.hotpath.analyzer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz targets, one per reader, each driving the reader as {@link ReaderTarget} does. Under
 * {@code mvn verify} Jazzer runs every method in regression mode over its committed inputs in
 * {@code src/test/resources/dev/hotpath/analyzer/fuzz/ReaderFuzzTestInputs/<method>/} (seeds made by real JVMs, see
 * {@code ../seeds/README.md}, and every crash found so far). {@code ./test --fuzz MINUTES} fuzzes each method for
 * its share of the time; a crash it finds is written into that directory and so becomes a regression input.
 *
 * <p>Every input must end in a result or in an {@link UnusableInputException} whose message is one line naming the
 * file; anything else (an exception, an assertion, an {@link OutOfMemoryError}, a per-input timeout) is a finding.
 */
class ReaderFuzzTest {
    private static final Path WORK = workDir();

    @FuzzTest(maxDuration = "5m")
    void jfr(byte[] input) {
        check(Format.JFR, input);
    }

    @FuzzTest(maxDuration = "5m")
    void hprof(byte[] input) {
        check(Format.HPROF, input);
    }

    @FuzzTest(maxDuration = "5m")
    void hprofGz(byte[] input) {
        check(Format.HPROF_GZ, input);
    }

    @FuzzTest(maxDuration = "5m")
    void nmt(byte[] input) {
        check(Format.NMT, input);
    }

    @FuzzTest(maxDuration = "5m")
    void jemallocProfile(byte[] input) {
        check(Format.JEMALLOC_PROFILE, input);
    }

    @FuzzTest(maxDuration = "5m")
    void jemallocStats(byte[] input) {
        check(Format.JEMALLOC_STATS, input);
    }

    @FuzzTest(maxDuration = "5m")
    void gcLog(byte[] input) {
        check(Format.GCLOG, input);
    }

    @FuzzTest(maxDuration = "5m")
    void collapsed(byte[] input) {
        check(Format.COLLAPSED, input);
    }

    @FuzzTest(maxDuration = "5m")
    void agentSnapshot(byte[] input) {
        check(Format.AGENT_SNAPSHOT, input);
    }

    @FuzzTest(maxDuration = "5m")
    void fio(byte[] input) {
        check(Format.FIO, input);
    }

    @FuzzTest(maxDuration = "5m")
    void runManifest(byte[] input) {
        check(Format.RUN_MANIFEST, input);
    }

    static void check(Format format, byte[] input) {
        Path dir = WORK.resolve(format.method() + "-" + Thread.currentThread().getId());
        try {
            ReaderTarget.Outcome outcome = ReaderTarget.read(format, input, dir);
            assertThat(outcome.summaries()).isEqualTo(outcome.kinds().size());
        } catch (UnusableInputException e) {
            // The documented outcome for unusable input: one line naming the file.
            assertThat(e.getMessage()).startsWith(dir.toString()).doesNotContain("\n", "\r");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path workDir() {
        try {
            Path dir = Files.createTempDirectory("hotpath-reader-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
