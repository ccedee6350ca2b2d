package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.detect.ArtifactDetector;
import dev.hotpath.analyzer.detect.Detection;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.Rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The findings pipeline: expand inputs → detect each file's type by content → fingerprint (size, SHA-256) → ingest
 * with every {@link Ingester} of that type → per-artifact rules → run-scope rules → a {@link Run}.
 *
 * <p>Artifacts are detected and ingested in parallel on at most {@code parallelism} threads (each task holds one
 * artifact's ingest state, so memory is bounded by the thread count, not the number of inputs); rules run afterwards
 * on the calling thread, in ServiceLoader order, so findings come out in a stable order. One bad input never stops
 * the others: it becomes a {@link Problem}. Instances are immutable and may be shared.
 */
public final class Analyzer {
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'run-'yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final ArtifactDetector detector = new ArtifactDetector();
    private final List<Ingester> ingesters;
    private final List<Rule> rules;
    private final int parallelism;

    public Analyzer(List<Ingester> ingesters, List<Rule> rules, int parallelism) {
        this.ingesters = List.copyOf(ingesters);
        this.rules = List.copyOf(rules);
        this.parallelism = Math.max(1, parallelism);
    }

    /** Ingesters and rules found with ServiceLoader; as many threads as cores, at most 4. */
    public static Analyzer withInstalledPlugins() {
        List<Ingester> ingesters = new ArrayList<>();
        ServiceLoader.load(Ingester.class, Analyzer.class.getClassLoader()).forEach(ingesters::add);
        return new Analyzer(ingesters, installedRules(), Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public static List<Rule> installedRules() {
        List<Rule> rules = new ArrayList<>();
        ServiceLoader.load(Rule.class, Analyzer.class.getClassLoader()).forEach(rules::add);
        return rules;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Everything: ingest, rules, run. */
    public Analysis analyze(List<Path> inputs, AnalysisOptions options) {
        return run(inputs, options, true);
    }

    /** Ingest only (no rules): the summaries of a baseline given as files. */
    public Analysis summarize(List<Path> inputs) {
        return run(inputs, AnalysisOptions.defaults(), false);
    }

    private Analysis run(List<Path> inputs, AnalysisOptions options, boolean evaluate) {
        Instant createdAt = Instant.now();
        InputExpander.Expansion expansion = InputExpander.expand(inputs);
        List<Problem> problems = new ArrayList<>(expansion.problems());
        List<String> notes = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        Map<Artifact, List<Summary>> summaries = new LinkedHashMap<>();

        List<Prepared> prepared = inParallel(expansion.candidates(), InputExpander.Candidate::path, this::prepare,
                (c, p) -> Prepared.failed(p));
        Together together = together(prepared);
        for (Ingested r : inParallel(prepared, Prepared::path, p -> ingestOne(p, together),
                (p, problem) -> Ingested.failed(problem))) {
            if (r.problem != null) {
                problems.add(r.problem);
                continue;
            }
            artifacts.add(r.artifact);
            summaries.put(r.artifact, r.summaries);
            notes.addAll(r.notes);
        }

        List<Finding> findings = new ArrayList<>();
        if (evaluate) {
            evaluateRules(artifacts, summaries, options, findings, problems);
            findings.replaceAll(together::nameAll);
            findings.sort(Comparator.comparing(Finding::severity).reversed());
        }
        for (Problem p : problems) {
            notes.add(p.line());
        }
        String name = options.runName() != null ? options.runName()
                : expansion.suggestedName() != null ? expansion.suggestedName() : RUN_NAME.format(createdAt);
        Map<String, Object> stored = storedSummaries(artifacts, summaries);
        if (expansion.manifests().size() == 1) {
            stored.put("run.manifest", expansion.manifests().get(0));
        }
        Run run = new Run(null, name, createdAt, artifacts, findings, stored, notes);
        return new Analysis(run, problems, summaries);
    }

    /** One artifact's outcome: either {@code problem} or the rest. */
    private record Ingested(Artifact artifact, List<Summary> summaries, List<String> notes, Problem problem) {
        static Ingested failed(Problem p) {
            return new Ingested(null, List.of(), List.of(), p);
        }
    }

    /**
     * Maps {@code work} over the items on at most {@code parallelism} threads, results in item order; an item whose
     * task failed unexpectedly becomes {@code failed(item, problem)}.
     */
    private <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, Path> pathOf,
                                      java.util.function.Function<T, R> work,
                                      java.util.function.BiFunction<T, Problem, R> failed) {
        if (items.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(parallelism, items.size());
        if (threads == 1) {
            List<R> out = new ArrayList<>();
            for (T item : items) {
                out.add(work.apply(item));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hotpath-ingest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                T item = items.get(i);
                Path path = pathOf.apply(item);
                Problem p = null;
                R r = null;
                try {
                    r = futures.get(i).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p = new Problem(path + ": interrupted", e);
                } catch (ExecutionException e) {
                    p = new Problem(path + ": " + e.getCause(), e.getCause());
                }
                out.add(p == null ? r : failed.apply(item, p));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The name each artifact goes by in findings' {@code sources} and summary keys: its file name, or when two inputs
     * share a file name (three services' {@code recording.jfr}), the shortest path suffix that tells them apart
     * ({@code run-gateway/recording.jfr}).
     */
    static Map<Path, String> displayNames(List<Path> paths) {
        Map<Path, String> names = new HashMap<>();
        int depth = 1;
        List<Path> pending = new ArrayList<>(paths);
        while (!pending.isEmpty() && depth <= 64) {
            Map<String, List<Path>> byName = new HashMap<>();
            for (Path p : pending) {
                byName.computeIfAbsent(suffix(p, depth), k -> new ArrayList<>()).add(p);
            }
            List<Path> next = new ArrayList<>();
            for (Map.Entry<String, List<Path>> e : byName.entrySet()) {
                if (e.getValue().size() == 1 || depth == 64) {
                    e.getValue().forEach(p -> names.put(p, e.getKey()));
                } else {
                    next.addAll(e.getValue());
                }
            }
            pending = next;
            depth++;
        }
        return names;
    }

    private static String suffix(Path p, int depth) {
        Path abs = p.toAbsolutePath().normalize();
        int n = abs.getNameCount();
        return n == 0 ? abs.toString() : abs.subpath(Math.max(0, n - depth), n).toString();
    }

    /** Detection and fingerprint of one input. */
    private Prepared prepare(InputExpander.Candidate c) {
        Path path = c.path();
        try {
            Detection d = c.declaredType() != null
                    ? new Detection(c.declaredType(), Map.of(), List.of())
                    : detector.detect(path);
            long size = Files.size(path);
            if (size == 0) {
                throw new UnusableInputException(path, "empty file (0 bytes)");
            }
            Map<String, Object> attributes = new LinkedHashMap<>(d.attributes());
            if (c.displayName() != null && !c.displayName().equals(String.valueOf(path.getFileName()))) {
                attributes.put(Artifact.NAME_ATTRIBUTE, c.displayName());
            }
            // hashed here, or by the ingest while it reads when its ingesters can take the artifact unhashed
            Artifact artifact = new Artifact(path.toAbsolutePath().normalize(), d.type(), size,
                    fingerprintsLate(d.type()) ? null : Fingerprint.sha256(path), attributes);
            return new Prepared(path, artifact, d.notes(), null);
        } catch (UnusableInputException e) {
            return Prepared.failed(new Problem(e.getMessage(), e));
        } catch (IOException e) {
            return Prepared.failed(new Problem(path + ": cannot read: " + e, e));
        } catch (RuntimeException e) {
            return Prepared.failed(new Problem(path + ": detection failed: " + e, e));
        }
    }

    /** Whether every ingester of {@code type} fills in the hash itself ({@link Ingester#fingerprintsLate}). */
    private boolean fingerprintsLate(ArtifactType type) {
        boolean any = false;
        for (Ingester ing : ingesters) {
            if (ing.types().contains(type)) {
                if (!ing.fingerprintsLate()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private Ingested ingestOne(Prepared p, Together together) {
        if (p.problem != null) {
            return Ingested.failed(p.problem);
        }
        Artifact artifact = p.artifact;
        Path path = p.path;
        Ingester current = null;
        try {
            Contexts.Ingest ctx = new Contexts.Ingest();
            ctx.notes.addAll(p.notes);
            boolean any = false;
            for (Ingester ing : ingesters) {
                if (ing.types().contains(artifact.type())) {
                    current = ing;
                    any = true;
                    List<Artifact> group = together.group(ing, artifact);
                    if (group.size() > 1 && group.get(0).equals(artifact)) {
                        ing.ingestTogether(group, ctx);
                    } else if (group.size() <= 1) {
                        ing.ingest(artifact, ctx);
                    } // else: read with the group's first artifact
                }
            }
            if (!any) {
                ctx.note(path + ": " + artifact.type().id() + " is recognised but this build has no analysis for it yet");
            }
            // the same hashed artifact as the one the summaries name, when an ingester hashed it
            return new Ingested(ctx.fingerprinted(artifact), List.copyOf(ctx.summaries), List.copyOf(ctx.notes), null);
        } catch (UnusableInputException e) {
            return Ingested.failed(new Problem(e.getMessage(), e));
        } catch (IOException e) {
            return Ingested.failed(new Problem(path + ": cannot read: " + e, e));
        } catch (RuntimeException e) {
            String who = current == null ? "detection" : current.getClass().getSimpleName();
            return Ingested.failed(new Problem(path + ": " + who + " failed: " + e, e));
        }
    }

    /** One input after detection: {@code problem} or the rest. */
    private record Prepared(Path path, Artifact artifact, List<String> notes, Problem problem) {
        static Prepared failed(Problem p) {
            return new Prepared(null, null, List.of(), p);
        }
    }

    /**
     * Asks each ingester for the process key of its artifacts, only when it has two or more of them in this run (a
     * single file has nothing to be read together with, and a key may cost a read of the file's first part).
     */
    private Together together(List<Prepared> prepared) {
        Map<Ingester, Map<String, List<Artifact>>> byKey = new HashMap<>();
        for (Ingester ing : ingesters) {
            List<Artifact> mine = new ArrayList<>();
            for (Prepared p : prepared) {
                if (p.problem == null && ing.types().contains(p.artifact.type())) {
                    mine.add(p.artifact);
                }
            }
            if (mine.size() < 2) {
                continue;
            }
            List<String> keys = inParallel(mine, Artifact::path, a -> processKey(ing, a), (a, problem) -> null);
            for (int i = 0; i < mine.size(); i++) {
                if (keys.get(i) != null) {
                    byKey.computeIfAbsent(ing, k -> new LinkedHashMap<>())
                            .computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(mine.get(i));
                }
            }
        }
        return new Together(byKey);
    }

    private static String processKey(Ingester ing, Artifact a) {
        try {
            return ing.processKey(a);
        } catch (IOException | RuntimeException e) {
            return null; // read alone: ingest reports what is wrong with the file
        }
    }

    /**
     * Artifacts that an ingester reads as one (same process key), in input order. The first of a group carries the
     * group's summaries, so findings on it name every artifact of the group.
     */
    private record Together(Map<Ingester, Map<String, List<Artifact>>> byKey) {
        List<Artifact> group(Ingester ing, Artifact a) {
            Map<String, List<Artifact>> groups = byKey.getOrDefault(ing, Map.of());
            for (List<Artifact> g : groups.values()) {
                if (g.contains(a)) {
                    return g;
                }
            }
            return List.of(a);
        }

        Finding nameAll(Finding f) {
            List<String> names = new ArrayList<>();
            for (String s : f.sources()) {
                names.add(s);
                for (Map<String, List<Artifact>> groups : byKey.values()) {
                    for (List<Artifact> g : groups.values()) {
                        if (g.size() > 1 && g.get(0).sourceName().equals(s)) {
                            g.forEach(a -> names.add(a.sourceName()));
                        }
                    }
                }
            }
            List<String> distinct = names.stream().distinct().toList();
            return distinct.equals(f.sources()) ? f : new Finding(f.id(), f.severity(), f.category(), f.title(),
                    f.summary(), f.evidence(), f.recommendation(), distinct);
        }
    }

    private void evaluateRules(List<Artifact> artifacts, Map<Artifact, List<Summary>> summaries,
                               AnalysisOptions options, List<Finding> findings, List<Problem> problems) {
        for (Artifact a : artifacts) {
            for (Rule rule : rules) {
                if (rule.scope() == Rule.Scope.ARTIFACT) {
                    evaluate(rule, summaries.get(a), List.of(a), options, findings, problems);
                }
            }
        }
        List<Summary> all = new ArrayList<>();
        artifacts.forEach(a -> all.addAll(summaries.get(a)));
        for (Rule rule : rules) {
            if (rule.scope() == Rule.Scope.RUN) {
                evaluate(rule, all, artifacts, options, findings, problems);
            }
        }
    }

    private static void evaluate(Rule rule, List<Summary> scope, List<Artifact> scopeArtifacts, AnalysisOptions options,
                                 List<Finding> findings, List<Problem> problems) {
        if (scope.isEmpty()) {
            return;
        }
        Contexts.Rules ctx = new Contexts.Rules(rule, scope, options.baseline(), options.settings());
        try {
            rule.evaluate(ctx);
        } catch (RuntimeException e) {
            String on = scopeArtifacts.size() == 1 ? " on " + scopeArtifacts.get(0).path() : "";
            problems.add(new Problem("rule " + rule.id() + " failed" + on + ": " + e, e));
            return;
        }
        for (Finding f : ctx.emitted) {
            // a finding must name its artifacts; a per-artifact rule that forgot gets its artifact
            if (f.sources().isEmpty() && scopeArtifacts.size() == 1) {
                f = new Finding(f.id(), f.severity(), f.category(), f.title(), f.summary(), f.evidence(),
                        f.recommendation(), List.of(scopeArtifacts.get(0).sourceName()));
            }
            findings.add(f);
        }
    }

    /**
     * Summaries kept with the run, by kind; when several artifacts make the same kind, each is keyed
     * {@code kind[fileName]} so none overwrites another.
     */
    private static Map<String, Object> storedSummaries(List<Artifact> artifacts, Map<Artifact, List<Summary>> summaries) {
        Map<String, Integer> kinds = new HashMap<>();
        for (Artifact a : artifacts) {
            for (Summary s : summaries.get(a)) {
                if (s.toJson() != null) {
                    kinds.merge(s.kind(), 1, Integer::sum);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Artifact a : artifacts) {
            for (Summary s : summaries.get(a)) {
                Object json = s.toJson();
                if (json != null) {
                    String key = kinds.get(s.kind()) == 1 ? s.kind() : s.kind() + "[" + a.sourceName() + "]";
                    out.putIfAbsent(key, json);
                }
            }
        }
        return out;
    }

    /** Exposed for tests and the CLI: types that some installed ingester reads. */
    public boolean canIngest(ArtifactType type) {
        return ingesters.stream().anyMatch(i -> i.types().contains(type));
    }
}
