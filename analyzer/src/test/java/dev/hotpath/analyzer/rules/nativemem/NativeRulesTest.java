package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.nativemem.nmt.NmtCategory;
import dev.hotpath.nativemem.nmt.NmtReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule logic on hand-made summaries; the rules on real leaking JVMs are tested in cli's NativeLeakRecordTest. */
class NativeRulesTest {
    static final Artifact RSS = new Artifact(Path.of("/run/rss.csv"), ArtifactType.RSS, 0, null, Map.of());

    static NmtSnapshot nmt(long t, long totalCommittedKb, long threads) {
        Map<String, NmtCategory> cats = new LinkedHashMap<>();
        cats.put("Thread", new NmtCategory("Thread", 0, threads * 100, 0, 0, 0, 0, 0, 0, threads, 0));
        NmtReport r = new NmtReport(NmtReport.Kind.SUMMARY, 1, t, 0, totalCommittedKb, 0, 0, 65536, 0, cats, List.of());
        return new NmtSnapshot(new Artifact(Path.of("/run/nmt/summary-" + t + ".txt"), ArtifactType.NMT, 0, null, Map.of()), t, r);
    }

    static List<Finding> evaluate(Rule rule, List<Summary> summaries) {
        List<Finding> out = new ArrayList<>();
        RuleSettings settings = RuleSettings.defaults();
        rule.evaluate(new RuleContext() {
            @Override
            public <T extends Summary> List<T> summaries(Class<T> type) {
                return summaries.stream().filter(type::isInstance).map(type::cast).toList();
            }

            @Override
            public double threshold(String name) {
                return settings.value(rule, name);
            }

            @Override
            public <T extends Summary> List<T> baselineSummaries(Class<T> type) {
                return List.of();
            }

            @Override
            public void emit(Finding finding) {
                out.add(finding);
            }
        });
        return out;
    }

    @Test
    void theilSenIgnoresASpikeAndALateStepButFollowsATrend() {
        long[] t = new long[61];
        double[] flatWithStep = new double[61];
        double[] trend = new double[61];
        for (int i = 0; i <= 60; i++) {
            t[i] = i * 1000L;
            // flat, one spike (a transient) and a 64 MB step late in the run: fewer than 29% of pairs straddle them
            flatWithStep[i] = i == 20 ? 400 : i < 55 ? 100 : 164;
            trend[i] = 100 + i * 0.5;              // 30 MB/min
        }
        assertThat(TheilSen.perMinute(t, flatWithStep)).isEqualTo(0.0);
        assertThat(TheilSen.perMinute(t, trend)).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void arenaBloatNeedsAGapManyThreadsAndNoJemalloc() {
        long[] t = {0, 1000, 2000};
        RssSeries rss = new RssSeries(RSS, t, new long[]{900_000, 900_000, 900_000}, new long[3], new long[3]);
        List<Finding> f = evaluate(new MallocArenaBloatRule(), List.of(rss, nmt(2000, 300_000, 40)));
        assertThat(f).hasSize(1);
        Finding b = f.get(0);
        assertThat(b.id()).isEqualTo("native.malloc-arena-bloat");
        assertThat(b.severity()).isEqualTo(Severity.WARNING);
        assertThat(b.title()).isEqualTo("RSS is 585.9 MB above what the JVM accounts for, with 40 threads on glibc malloc");
        assertThat(b.evidence()).containsEntry("untrackedMb", 585.9).containsEntry("threads", 40L)
                .containsEntry("untrackedPercent", 66.7);
        assertThat(b.recommendation()).startsWith("Limit glibc's arenas with MALLOC_ARENA_MAX=2");
        // few threads: no finding
        assertThat(evaluate(new MallocArenaBloatRule(), List.of(rss, nmt(2000, 300_000, 8)))).isEmpty();
        // RSS close to what NMT accounts for: no finding
        assertThat(evaluate(new MallocArenaBloatRule(), List.of(rss, nmt(2000, 800_000, 40)))).isEmpty();
    }

    @Test
    void flatRssGivesNoUntrackedGrowthFinding() {
        long[] t = new long[30];
        long[] kb = new long[30];
        for (int i = 0; i < 30; i++) {
            t[i] = i * 1000L;
            kb[i] = 200_000 + (i % 3) * 500; // wobble of 1 MB
        }
        RssSeries rss = new RssSeries(RSS, t, kb, new long[30], new long[30]);
        assertThat(evaluate(new UntrackedNativeGrowthRule(), List.of(rss, nmt(5000, 190_000, 20), nmt(25000, 190_000, 20))))
                .isEmpty();
    }

    /** An RSS timeline sampled every second: anon MB per second from {@code anonMb}, RSS 30 MB of code above it. */
    static RssSeries anonTimeline(double... anonMb) {
        int n = anonMb.length;
        long[] t = new long[n];
        long[] rss = new long[n];
        long[] anon = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 1000L;
            anon[i] = Math.round(anonMb[i] * 1024);
            rss[i] = anon[i] + 30 * 1024;
        }
        return new RssSeries(RSS, t, rss, new long[n], anon);
    }

    @Test
    void aHeapShrinkLateBetweenTwoSnapshotsIsNoNativeGrowth() {
        // a clean service: 90 MB of JVM outside the heap, a 256 MB heap touched in full, then a full GC (a heap dump)
        // at 19.5 s gives 230 MB of it back: NMT's committed total says 370 MB at 15 s and 140 MB at 20 s. Committed
        // memory moves in steps; drawn as a line between the snapshots, it would fall below the still-resident heap
        // for the last seconds before the GC (anon 346 MB against a line at 232..186 MB), a steep climb of
        // "untracked" memory (CI once reported 1693.8 MB/min on a clean demo's cache)
        double[] anon = new double[21];
        for (int i = 0; i <= 20; i++) {
            anon[i] = i < 20 ? 346 : 116;
        }
        List<Summary> s = List.of(anonTimeline(anon), nmt(0, 370 * 1024, 20), nmt(5000, 372 * 1024, 20),
                nmt(10_000, 371 * 1024, 20), nmt(15_000, 370 * 1024, 20), nmt(20_000, 140 * 1024, 20));
        assertThat(evaluate(new UntrackedNativeGrowthRule(), s)).isEmpty();
    }

    @Test
    void aHeapGrowthEarlyBetweenTwoSnapshotsIsNoNativeGrowth() {
        // the heap grows from 40 to 150 MB at a GC just after the 5 s snapshot and allocation touches the new regions
        // at 40 MB/s: resident memory reaches what was committed long before a line between the snapshots does
        double[] anon = new double[21];
        for (int i = 0; i <= 20; i++) {
            anon[i] = i <= 5 ? 120 : Math.min(120 + (i - 5) * 40, 225);
        }
        List<Summary> s = List.of(anonTimeline(anon), nmt(0, 130 * 1024, 20), nmt(5000, 130 * 1024, 20),
                nmt(10_000, 240 * 1024, 20), nmt(15_000, 240 * 1024, 20), nmt(20_000, 240 * 1024, 20));
        assertThat(evaluate(new UntrackedNativeGrowthRule(), s)).isEmpty();
    }

    @Test
    void nativeGrowthBeyondCommittedIsFoundAcrossAHeapShrink() {
        // 60 MB/min malloc'd outside the JVM from 40 MB beyond committed, while the heap shrinks by 100 MB at 12.5 s
        // (a full GC): anon falls with it, and the growth beyond everything committed is measured across the step
        // (from the window's first snapshot at 10 s: the run's first fifth, to 8 s, is warm-up)
        double[] anon = new double[41];
        List<Summary> s = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            double committed = i * 1000 < 12_500 ? 300 : 200;
            anon[i] = committed + 40 + i;
        }
        s.add(anonTimeline(anon));
        for (int t = 0; t <= 40; t += 5) {
            s.add(nmt(t * 1000L, (t < 12.5 ? 300 : 200) * 1024L, 20));
        }
        List<Finding> f = evaluate(new UntrackedNativeGrowthRule(), s);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.get(0).title()).isEqualTo("Native memory outside the JVM's accounting grows 60.0 MB/min");
        assertThat(f.get(0).evidence()).containsEntry("beyondCommittedGrowthMbPerMin", 60.0)
                .containsEntry("beyondCommittedStartMb", 50.0).containsEntry("beyondCommittedEndMb", 80.0)
                .containsEntry("beyondCommittedSeconds", 30L);
    }
}
