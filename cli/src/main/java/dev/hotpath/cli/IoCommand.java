package dev.hotpath.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotpath.analyzer.io.AgentSnapshotReader;
import dev.hotpath.analyzer.io.DeviceBaseline;
import dev.hotpath.analyzer.io.DeviceResults;
import dev.hotpath.analyzer.io.IoAnalysis;
import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.RuleSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hotpath io <snapshot.json> [--json] [--fio FILE]}: the hot I/O call sites of an agent snapshot and the io
 * rules' findings; with {@code --fio}, each hot file site is compared with what fio (or elbencho) measured on the device.
 * File-read rows show the agent's distinct bytes read and the amplification (bytes / distinct).
 * {@code --set rule.threshold=value} overrides a threshold.
 */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Hot I/O call sites and io findings from an agent snapshot.")
public final class IoCommand implements Callable<Integer> {
    static final int TOP = 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "agent snapshot JSON")
    Path snapshot;

    @Option(names = "--json", description = "print findings JSON instead of text")
    boolean json;

    @Option(names = "--fio", paramLabel = "FILE", description = "The device's benchmark result: fio --output-format=json, or elbencho --csvfile or --jsonfile")
    Path fio;

    @Option(names = "--set", paramLabel = "RULE.THRESHOLD=VALUE", description = "override a rule threshold")
    List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> notes = new ArrayList<>();
        requireFile(snapshot);
        Artifact snapArtifact = new Artifact(snapshot.toAbsolutePath(), ArtifactType.AGENT_SNAPSHOT,
                Files.size(snapshot), null, Map.of());
        IoSnapshot snap = AgentSnapshotReader.read(snapshot, snapArtifact, notes::add);
        List<Summary> summaries = new ArrayList<>();
        summaries.add(snap);
        List<Artifact> artifacts = new ArrayList<>(List.of(snapArtifact));
        if (fio != null) {
            requireFile(fio);
            Artifact fioArtifact = new Artifact(fio.toAbsolutePath(), ArtifactType.FIO, Files.size(fio), null,
                    Map.of());
            DeviceBaseline device = DeviceResults.read(fio, fioArtifact);
            summaries.add(device);
            artifacts.add(fioArtifact);
        }
        RuleSettings rs;
        try {
            rs = RuleSettings.parse(settings, IoAnalysis.RULES);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        List<Finding> findings = IoAnalysis.run(summaries, rs);
        if (json) {
            printJson(out, findings, artifacts, snap, notes);
        } else {
            printText(out, snap, findings, notes);
        }
        out.flush();
        return 0;
    }

    private static void requireFile(Path p) throws UnusableInputException {
        if (!Files.isRegularFile(p)) {
            throw new UnusableInputException(p, "no such file");
        }
    }

    private static void printText(PrintWriter out, IoSnapshot s, List<Finding> findings, List<String> notes) {
        out.printf(Locale.ROOT, "agent snapshot of pid %d, %s .. %s (%.1f s), %d call sites, %d operations dropped%n",
                s.pid(), s.startedAt(), s.capturedAt(), s.seconds(), s.callSites().size(), s.dropped());
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.println();
        out.printf(Locale.ROOT, "%-10s %-9s %10s %12s %12s %9s %10s %10s %-10s %s%n", "kind", "op", "count", "bytes",
                "distinct", "amplif", "p50", "p99", "pattern", "site -> target");
        List<IoCallSite> sites = new ArrayList<>(s.callSites());
        sites.sort((a, b) -> Long.compare(b.count(), a.count()));
        for (int i = 0; i < Math.min(TOP, sites.size()); i++) {
            IoCallSite c = sites.get(i);
            out.printf(Locale.ROOT, "%-10s %-9s %10d %12d %12s %9s %10s %10s %-10s %s -> %s%n", c.kind(), c.op(),
                    c.count(), c.bytes(), distinct(c), amplification(c), micros(c.p50Nanos()), micros(c.p99Nanos()),
                    c.pattern(), c.site(), c.target());
        }
        if (sites.size() > TOP) {
            out.println("... " + (sites.size() - TOP) + " more call sites (--json lists findings only)");
        }
        out.println();
        if (findings.isEmpty()) {
            out.println("no io findings");
        }
        for (Finding f : findings) {
            out.println("[" + f.severity().id() + "] " + f.id() + ": " + f.title());
            out.println("    " + f.summary());
            out.println("    -> " + f.recommendation());
        }
    }

    /**
     * The agent's estimate of the distinct bytes a file-read key read; a saturated estimate is only a lower bound
     * ({@code ≥}). Empty for keys without one (writes, sockets, older agents).
     */
    static String distinct(IoCallSite c) {
        if (c.distinctBytes() < 0) {
            return "";
        }
        return (c.distinctSaturated() ? "≥" : "") + c.distinctBytes();
    }

    /**
     * Bytes read per distinct byte read ({@code 317.5x}: each block read 317.5 times on average). Over a saturated
     * estimate (a lower bound of the distinct bytes) it is only an upper bound ({@code ≤}).
     */
    static String amplification(IoCallSite c) {
        if (c.distinctBytes() <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%s%.1fx", c.distinctSaturated() ? "≤" : "",
                (double) c.bytes() / c.distinctBytes());
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1fus", nanos / 1000.0);
    }

    private static void printJson(PrintWriter out, List<Finding> findings, List<Artifact> artifacts, IoSnapshot s,
                                  List<String> notes) throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> fs = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("severity", f.severity().id());
            m.put("category", f.category().id());
            m.put("title", f.title());
            m.put("summary", f.summary());
            m.put("evidence", f.evidence());
            m.put("recommendation", f.recommendation());
            m.put("sources", f.sources());
            fs.add(m);
        }
        root.put("findings", fs);
        List<Object> as = new ArrayList<>();
        for (Artifact a : artifacts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", a.path().toString());
            m.put("type", a.type().id());
            if (a.type() == ArtifactType.AGENT_SNAPSHOT) {
                m.put("pid", s.pid());
                m.put("callSites", s.callSites().size());
                m.put("dropped", s.dropped());
                if (!notes.isEmpty()) {
                    m.put("notes", notes);
                }
            }
            as.add(m);
        }
        root.put("artifacts", as);
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    }
}
