package dev.hotpath.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotpath.alloc.AllocatorExperiment;
import dev.hotpath.alloc.catalog.AllocatorCatalog;
import dev.hotpath.alloc.catalog.AllocatorVariant;
import dev.hotpath.alloc.catalog.LibraryLocator;
import dev.hotpath.alloc.catalog.ResolvedVariant;
import dev.hotpath.alloc.report.ComparisonReport;
import dev.hotpath.alloc.report.TextReport;
import dev.hotpath.alloc.run.MetricPattern;
import dev.hotpath.alloc.run.RunResult;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.store.StoreException;
import dev.hotpath.analyzer.store.WorkspaceStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code hotpath allocators list|compare}.
 *
 * <p>Exit codes: 0 done (a comparison whose runs partly failed still exits 0: the failures are in the report);
 * 2 usage error (unknown variant, bad {@code --metric}, {@code --runs < 1}); 3 a requested variant's library is not
 * installed (the message names the Debian package), the {@code --config} file is unusable, or the workspace could not
 * store the run.
 */
@Command(name = "allocators", description = "Allocator A/B experiments (glibc, jemalloc, tcmalloc, mimalloc, tuned variants).",
        subcommands = {AllocatorsCommand.ListCommand.class, AllocatorsCommand.CompareCommand.class})
public class AllocatorsCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int UNUSABLE = 3;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    static AllocatorCatalog catalog(Path config) throws UnusableInputException {
        return config != null
                ? AllocatorCatalog.load(config, true, LibraryLocator.system())
                : AllocatorCatalog.load(AllocatorCatalog.defaultConfigFile(), false, LibraryLocator.system());
    }

    @Command(name = "list", description = "Show the allocator variants and where their libraries are installed.")
    public static class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "custom variants (default ~/.hotpath/allocators.properties when it exists)")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            AllocatorCatalog catalog;
            try {
                catalog = catalog(config);
            } catch (UnusableInputException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return UNUSABLE;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"variant", "library", "environment", "origin"});
            for (AllocatorVariant v : catalog.variants()) {
                String lib;
                if (v.usesLibcMalloc()) {
                    lib = "(libc malloc)";
                } else {
                    Optional<Path> p = catalog.locate(v);
                    lib = p.map(Path::toString).orElse("not installed: " + (v.debianPackage() != null
                            ? "apt-get install " + v.debianPackage() : "no " + String.join(" or ", v.libraries())));
                }
                String env = v.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
                rows.add(new String[]{v.name(), lib, env.isEmpty() ? "-" : env, v.origin()});
            }
            int[] w = new int[4];
            for (String[] r : rows) {
                for (int i = 0; i < 4; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    sb.append(r[i]).append(i < 3 ? " ".repeat(w[i] - r[i].length() + 2) : "");
                }
                out.println(sb.toString().stripTrailing());
            }
            out.flush();
            return OK;
        }
    }

    @Command(name = "compare", description = "Run a command under several allocators, interleaved, and compare with statistics.")
    public static class CompareCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cmd", required = true, paramLabel = "COMMAND", description = "the workload, run with /bin/sh -c")
        String command;

        @Option(names = "--variants", split = ",", paramLabel = "NAME", defaultValue = "glibc,jemalloc",
                description = "variants to compare; the first is the baseline (default: ${DEFAULT-VALUE})")
        List<String> variants;

        @Option(names = "--runs", defaultValue = "8", paramLabel = "N", description = "measured runs per variant (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--warmup", defaultValue = "1", paramLabel = "N", description = "warm-up rounds, not counted (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--duration", paramLabel = "D", description = "stop each run after D (e.g. 30s, 2m, 500ms): SIGTERM, then SIGKILL 5 s later")
        String duration;

        @Option(names = "--metric", paramLabel = "NAME=REGEX", description = "a workload metric parsed from its output: NAME=REGEX (group 1 or (?<value>...)) or NAME=json:PATH (repeatable)")
        List<String> metrics = new ArrayList<>();

        @Option(names = "--json", description = "print the comparison JSON instead of the text report")
        boolean json;

        @Option(names = "--seed", paramLabel = "S", description = "seed of the run order and the bootstrap (default: random, printed)")
        Long seed;

        @Option(names = "--workspace", paramLabel = "DIR|JDBC-URL", description = "store the experiment as a run in this workspace")
        String workspace;

        @Option(names = "--run", paramLabel = "NAME", description = "name of the stored run")
        String runName;

        @Option(names = "--config", paramLabel = "FILE", description = "custom variants file")
        Path config;

        @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A",
                description = "family-wise significance level of the verdicts (default: ${DEFAULT-VALUE})")
        double alpha;

        @Option(names = "--no-allocator-stats", description = "do not ask jemalloc, tcmalloc or mimalloc for their statistics at exit")
        boolean noAllocatorStats;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            List<MetricPattern> patterns = new ArrayList<>();
            Duration d;
            try {
                for (String m : metrics) {
                    patterns.add(MetricPattern.parse(m));
                }
                d = duration == null ? null : parseDuration(duration);
                if (!(alpha > 0 && alpha < 1)) {
                    throw new IllegalArgumentException("--alpha must be between 0 and 1, got " + alpha);
                }
                if (runs < 1 || warmup < 0) {
                    throw new IllegalArgumentException("--runs must be at least 1 and --warmup at least 0");
                }
                if (variants.stream().distinct().count() != variants.size() || variants.size() < 1) {
                    throw new IllegalArgumentException("--variants must name distinct variants");
                }
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                err.flush();
                return USAGE;
            }
            List<ResolvedVariant> resolved;
            try {
                resolved = catalog(config).resolve(variants);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                err.flush();
                return USAGE;
            } catch (UnusableInputException e) {
                err.println(e.getMessage());
                err.flush();
                return UNUSABLE;
            }
            long s = seed != null ? seed : new java.security.SecureRandom().nextLong() & 0xffff_ffffL;
            Path scratch = Files.createTempDirectory("hotpath-alloc");
            ComparisonReport report;
            try {
                int total = runs + warmup;
                report = AllocatorExperiment.run(new AllocatorExperiment.Settings(command, runs, warmup, d, patterns, s,
                        !noAllocatorStats, scratch, alpha), resolved, (variant, round, isWarmup, r) -> {
                    err.println(progress(variant, round + warmup + 1, total, isWarmup, r));
                    err.flush();
                });
            } finally {
                try (var files = Files.list(scratch)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(scratch);
            }
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
            } else {
                out.print(TextReport.render(report));
            }
            out.flush();
            if (workspace != null) {
                try (WorkspaceStore store = WorkspaceStore.open(workspace)) {
                    String id = store.save(AllocatorExperiment.toRun(report, runName, Instant.now()));
                    err.println("stored as run " + id + " in " + store.location());
                } catch (StoreException e) {
                    err.println(e.getMessage());
                    err.flush();
                    return UNUSABLE;
                }
            }
            err.flush();
            return OK;
        }

        static String progress(String variant, int step, int total, boolean warmup, RunResult r) {
            String rss = r.peakRssBytes() < 0 ? "peak RSS ?" : String.format(Locale.ROOT, "peak RSS %.1f MiB",
                    r.peakRssBytes() / 1048576.0);
            return String.format(Locale.ROOT, "[%d/%d]%s %s: %s, %.2f s, exit %d%s", step, total,
                    warmup ? " warm-up" : "", variant, rss, r.wallSeconds(), r.exitCode(),
                    r.stoppedByDuration() ? " (stopped by --duration)" : "");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration: cannot read '" + text + "' (use e.g. 500ms, 30s, 2m)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = v * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1000;
        };
        if (millis <= 0) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        return Duration.ofMillis((long) millis);
    }
}
