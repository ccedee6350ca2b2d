package dev.hotpath.cli;

import dev.hotpath.cli.record.AttachRecorder;
import dev.hotpath.cli.record.Durations;
import dev.hotpath.cli.record.JvmLaunch;
import dev.hotpath.cli.record.ProgressLine;
import dev.hotpath.cli.record.RecordOptions;
import dev.hotpath.cli.record.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hotpath record --out DIR [evidence flags] -- java ...}: runs a JVM with evidence collection wired in and
 * writes a run directory ({@code manifest.json} + artifacts, FORMATS.md) that {@code hotpath analyze DIR} reads.
 * {@code hotpath record --pid PID --out DIR [--duration D] [evidence flags]} records a JVM that is already running
 * (AttachRecorder) and leaves it running; exit code 0 once the run directory is written.
 *
 * <p>Exit code: the recorded program's own, except that a JVM record stopped itself (at {@code --duration} or on
 * Ctrl-C) counts as 0 — a service stopped on purpose did not fail; the manifest keeps the real code. 2 for usage
 * errors (including a command that is not {@code java}).
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Run a JVM with evidence collection wired in (JFR, NMT, RSS timeline, GC log, heap dumps, "
                + "async-profiler, jemalloc, the hotpath agent), or record a running one (--pid); writes DIR/manifest.json.",
        footer = {"", "With no evidence flag: --jfr --nmt --gc-log (the RSS timeline is always recorded).",
                "Example: hotpath record --out run1 --duration 2m --nmt --async-profiler nativemem -- java -jar app.jar",
                "         hotpath record --pid 4242 --out run2 --duration 5m --async-profiler nativemem --heap-dumps 2",
                "With --pid, NMT is sampled only if the JVM was started with -XX:NativeMemoryTracking (the manifest "
                        + "notes it otherwise), and --jemalloc is not available."})
public final class RecordCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory to write (created if missing).")
    Path out;

    @Option(names = "--duration", paramLabel = "D", description = "Stop the JVM after D (e.g. 90s, 5m): SIGTERM, then kill. With --pid: record for D "
            + "once the evidence is running, then detach.")
    String duration;

    @Option(names = "--jfr", description = "JFR with the 'profile' settings, dumped at exit.")
    boolean jfr;

    @Option(names = "--nmt", description = "Native Memory Tracking: baseline, a summary every --nmt-interval, summary.diff.")
    boolean nmt;

    @Option(names = "--heap-dumps", paramLabel = "N", description = "N heap dumps evenly spaced from start to the stop.")
    int heapDumps;

    @Option(names = "--agent", description = "Attach the hotpath agent (-javaagent), snapshot written to the run directory.")
    boolean agent;

    @Option(names = "--agent-jar", paramLabel = "PATH",
            description = "The agent jar (default: the one `hotpath agent-path` prints).")
    Path agentJar;

    @Option(names = "--async-profiler", paramLabel = "EVENTS", split = ",",
            description = "async-profiler events from the bundled library: cpu, alloc, lock, wall, nativemem.")
    List<String> asyncProfiler;

    @Option(names = "--jemalloc", description = "Preload jemalloc with heap profiling and exit statistics.")
    boolean jemalloc;

    @Option(names = "--gc-log", description = "-Xlog:gc* to gc.log.")
    boolean gcLog;

    @Option(names = "--nmt-interval", paramLabel = "D", defaultValue = "5s", description = "Time between NMT summaries (default 5s).")
    String nmtInterval;

    @Option(names = "--rss-interval", paramLabel = "D", defaultValue = "1s", description = "Time between RSS samples (default 1s).")
    String rssInterval;

    @Option(names = "--stop-timeout", paramLabel = "D", defaultValue = "20s",
            description = "How long to wait after SIGTERM before killing (default 20s).")
    String stopTimeout;

    @Option(names = "--no-progress", negatable = false, description = "No progress line even on a terminal.")
    boolean noProgress;

    @Option(names = "--progress", description = "Progress even when not on a terminal: a line every 5 s (for CI logs).")
    boolean progress;

    @Option(names = "--pid", paramLabel = "PID", description = "Record this running JVM instead of starting one; "
            + "it keeps running when the recording ends (at --duration or Ctrl-C).")
    Long pid;

    @Option(names = "--app-log", paramLabel = "FILE",
            description = "Write the program's stdout and stderr to FILE (appending) instead of the terminal.")
    Path appLog;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The java command to run, after -- (not with --pid).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        RecordOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ProgressLine.Mode mode = noProgress ? ProgressLine.Mode.NONE : System.console() != null
                ? ProgressLine.Mode.TERMINAL : progress ? ProgressLine.Mode.LINES : ProgressLine.Mode.NONE;
        PrintWriter outw = spec.commandLine().getOut();
        if (pid != null) {
            new AttachRecorder(options, pid, err, mode).run(r -> {
                outw.println("hotpath record: " + r.manifest() + " (JVM " + pid
                        + (r.stoppedByRecord() ? " still running)" : " exited during the recording)"));
                outw.flush();
            });
            return 0;
        }
        // printed inside run: on Ctrl-C the JVM halts as soon as run lets the shutdown hook go
        Recorder.Result r = new Recorder(options, err, mode).run(res -> {
            outw.println("hotpath record: " + res.manifest() + " (exit code " + res.exitCode()
                    + (res.stoppedByRecord() ? ", stopped by record" : "") + ")");
            outw.flush();
        });
        return r.stoppedByRecord() && (r.exitCode() == 143 || r.exitCode() == 130 || r.exitCode() == 137)
                ? 0 : r.exitCode();
    }

    RecordOptions options() {
        if (pid != null) {
            if (command != null && !command.isEmpty()) {
                throw new IllegalArgumentException("--pid records a running JVM: give no command after --");
            }
            if (jemalloc) {
                throw new IllegalArgumentException("--jemalloc needs LD_PRELOAD at start-up: not available with --pid");
            }
            if (appLog != null) {
                throw new IllegalArgumentException("--app-log needs record to start the program: not available with --pid");
            }
            AttachRecorder.checkTarget(pid);
        } else if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("no command: give the java command after -- (or --pid PID)");
        } else if (!JvmLaunch.isJavaCommand(command.get(0))) {
            throw new IllegalArgumentException("'" + command.get(0) + "' is not a java executable: record wires JVM "
                    + "options in, so the command must start with java (or a path to it)");
        }
        Set<String> events = new LinkedHashSet<>();
        if (asyncProfiler != null) {
            for (String e : asyncProfiler) {
                String ev = e.trim().toLowerCase(Locale.ROOT);
                if (!RecordOptions.PROFILER_EVENTS.contains(ev)) {
                    throw new IllegalArgumentException("--async-profiler: unknown event '" + e
                            + "' (expected cpu, alloc, lock, wall, nativemem)");
                }
                events.add(ev);
            }
        }
        if (heapDumps < 0) {
            throw new IllegalArgumentException("--heap-dumps must be 0 or more");
        }
        Path agentPath = null;
        if (agent) {
            agentPath = agentJar;
            if (agentPath == null) {
                try {
                    agentPath = AgentJar.locate();
                } catch (dev.hotpath.analyzer.model.UnusableInputException e) {
                    throw new IllegalArgumentException("--agent: " + e.getMessage() + " (or pass --agent-jar)");
                }
            }
            if (!Files.isRegularFile(agentPath)) {
                throw new IllegalArgumentException("--agent: agent jar " + agentPath
                        + " does not exist (build it or pass --agent-jar)");
            }
        }
        boolean anyEvidence = jfr || nmt || heapDumps > 0 || agent || !events.isEmpty() || jemalloc || gcLog;
        boolean j = anyEvidence ? jfr : true;
        boolean n = anyEvidence ? nmt : true;
        boolean g = anyEvidence ? gcLog : true;
        Duration d = duration == null ? null : Durations.parse(duration);
        return new RecordOptions(out, d, j, n, heapDumps, agentPath, events, jemalloc, g, Durations.parse(nmtInterval),
                Durations.parse(rssInterval), Durations.parse(stopTimeout), !noProgress, appLog,
                command == null ? List.of() : List.copyOf(command));
    }
}
