package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.internal.LongList;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.rules.threads.ThreadSummary;
import dev.hotpath.analyzer.jfr.read.JfrClass;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrThread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thread counts ({@code jdk.JavaThreadStatistics}), starts and ends (the started-and-still-alive threads, by name
 * pattern), and exceptions ({@code jdk.ExceptionStatistics} for the rate, throw events for the sites).
 */
final class ThreadsHandler implements JfrHandler {
    private static final int TOP = 20;
    private final LongList time = new LongList();
    private final LongList active = new LongList();
    private final Map<Long, String[]> aliveStarted = new HashMap<>();
    /** Threads that ended here but started before this handler's first chunk (a part of a parallel read). */
    private final java.util.Set<Long> endedFromBefore = new java.util.HashSet<>();
    private final Map<String, long[]> sites = new HashMap<>();
    private final StackTally frames = new StackTally(new CollapsedProfile(1));
    private long started;
    private long ended;
    private long firstThrowables = -1;
    private long lastThrowables = -1;
    private long firstThrowablesMs;
    private long lastThrowablesMs;
    private boolean throwEvents;

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.JavaThreadStatistics", "jdk.ThreadStart", "jdk.ThreadEnd", "jdk.ExceptionStatistics",
                "jdk.JavaExceptionThrow", "jdk.JavaErrorThrow");
    }

    @Override
    public void accept(JfrEvent e) {
        switch (e.type().name()) {
            case "jdk.JavaThreadStatistics" -> {
                time.add(e.startMillis());
                active.add(e.getLong("activeCount"));
            }
            case "jdk.ThreadStart" -> {
                JfrThread t = e.getThread("thread");
                if (t != null) {
                    started++;
                    JfrThread parent = e.getThread("parentThread");
                    aliveStarted.put(t.getJavaThreadId(), new String[] {t.getJavaName(),
                            parent == null ? "" : parent.getJavaName()});
                }
            }
            case "jdk.ThreadEnd" -> {
                JfrThread t = e.getThread("thread");
                if (t != null) {
                    ended++;
                    if (aliveStarted.remove(t.getJavaThreadId()) == null) {
                        endedFromBefore.add(t.getJavaThreadId());
                    }
                }
            }
            case "jdk.ExceptionStatistics" -> {
                long v = e.getLong("throwables");
                long at = e.startMillis();
                if (firstThrowables < 0 || at < firstThrowablesMs) {
                    firstThrowables = v;
                    firstThrowablesMs = at;
                }
                if (v >= lastThrowables) {
                    lastThrowables = v;
                    lastThrowablesMs = at;
                }
            }
            case "jdk.JavaExceptionThrow", "jdk.JavaErrorThrow" -> {
                throwEvents = true;
                JfrClass c = e.getClass("thrownClass");
                String key = (c == null ? "[unknown]" : c.getName()) + '|' + frames.throwSite(e.stackTrace());
                sites.computeIfAbsent(key, k -> new long[1])[0]++;
            }
            default -> { }
        }
    }

    /**
     * Thread ids are never reused in one JVM, so the later part's starts are new threads and its ends of threads it
     * never saw start are the ones to remove here; the exception counter keeps the earliest first and the last
     * maximum, as the serial comparisons in {@link #accept} do.
     */
    @Override
    public void absorb(JfrHandler later) {
        ThreadsHandler o = (ThreadsHandler) later;
        time.addAll(o.time);
        active.addAll(o.active);
        for (Long id : o.endedFromBefore) {
            if (aliveStarted.remove(id) == null) {
                endedFromBefore.add(id);
            }
        }
        aliveStarted.putAll(o.aliveStarted);
        o.sites.forEach((k, v) -> sites.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        started += o.started;
        ended += o.ended;
        if (o.firstThrowables >= 0 && (firstThrowables < 0 || o.firstThrowablesMs < firstThrowablesMs)) {
            firstThrowables = o.firstThrowables;
            firstThrowablesMs = o.firstThrowablesMs;
        }
        if (o.lastThrowables >= 0 && o.lastThrowables >= lastThrowables) {
            lastThrowables = o.lastThrowables;
            lastThrowablesMs = o.lastThrowablesMs;
        }
        throwEvents |= o.throwEvents;
    }

    static String pattern(String name) {
        if (name == null) {
            return "[unnamed]";
        }
        return name.replaceAll("[0-9]+", "N");
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        if (time.size() == 0 && started == 0 && lastThrowables < 0 && sites.isEmpty()) {
            return;
        }
        Map<String, Object[]> byPattern = new HashMap<>();
        // by thread id: the first thread of a pattern names its parent, whatever order the ids were put in
        for (String[] t : new java.util.TreeMap<>(aliveStarted).values()) {
            Object[] v = byPattern.computeIfAbsent(pattern(t[0]), k -> new Object[] {0L, t[1]});
            v[0] = (Long) v[0] + 1;
        }
        List<ThreadSummary.Pattern> pats = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : byPattern.entrySet()) {
            pats.add(new ThreadSummary.Pattern(e.getKey(), (Long) e.getValue()[0], (String) e.getValue()[1]));
        }
        pats.sort((a, b) -> a.alive() != b.alive() ? Long.compare(b.alive(), a.alive())
                : a.pattern().compareTo(b.pattern()));
        List<ThreadSummary.ExceptionSite> ex = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sites.entrySet()) {
            int bar = e.getKey().indexOf('|');
            ex.add(new ThreadSummary.ExceptionSite(e.getKey().substring(0, bar), e.getKey().substring(bar + 1),
                    e.getValue()[0]));
        }
        ex.sort(java.util.Comparator.comparingLong(ThreadSummary.ExceptionSite::count).reversed()
                .thenComparing(ThreadSummary.ExceptionSite::thrownClass)
                .thenComparing(ThreadSummary.ExceptionSite::frame));
        long throwables = lastThrowables < 0 ? -1 : lastThrowables - firstThrowables;
        ctx.add(new ThreadSummary(artifact, time.toArray(), active.toArray(), started, ended,
                pats.size() > TOP ? pats.subList(0, TOP) : pats, throwables,
                Math.max(0, lastThrowablesMs - firstThrowablesMs), info.durationMs(),
                ex.size() > TOP ? ex.subList(0, TOP) : ex, throwEvents));
    }
}
