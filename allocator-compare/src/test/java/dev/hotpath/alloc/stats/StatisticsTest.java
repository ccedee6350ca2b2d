package dev.hotpath.alloc.stats;

import dev.hotpath.alloc.run.Metric;
import dev.hotpath.alloc.run.RunResult;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatisticsTest {
    @Test
    void orderStatisticsMatchTextbookValues() {
        double[] x = {7, 1, 3, 5, 100};
        assertThat(Descriptive.median(x)).isEqualTo(5);
        assertThat(Descriptive.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        // type 7: q1 = 3, q3 = 7
        assertThat(Descriptive.iqr(x)).isEqualTo(4);
        // deviations from 5: 2,4,2,0,95 -> median 2
        assertThat(Descriptive.mad(x)).isEqualTo(2);
        assertThat(Descriptive.robustSigma(x)).isCloseTo(2 * 1.4826, within(1e-12));
        assertThat(x).containsExactly(7, 1, 3, 5, 100);
    }

    @Test
    void holmAdjustsStepDownAndKeepsMonotonicity() {
        double[] adj = Comparisons.holm(new double[]{0.01, 0.04, 0.03, Double.NaN, 0.005});
        // sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> max(0.06,0.04)=0.06
        assertThat(adj[4]).isCloseTo(0.02, within(1e-12));
        assertThat(adj[0]).isCloseTo(0.03, within(1e-12));
        assertThat(adj[2]).isCloseTo(0.06, within(1e-12));
        assertThat(adj[1]).isCloseTo(0.06, within(1e-12));
        assertThat(adj[3]).isNaN();
    }

    @Test
    void rankTestFloorDecidesHowManyRunsAreNeeded() {
        assertThat(DetectableChange.minimumPValue(5, 5)).isCloseTo(2.0 / 252, within(1e-15));
        assertThat(DetectableChange.minimumPValue(3, 3)).isCloseTo(0.1, within(1e-15));
        assertThat(DetectableChange.runsNeeded(0.05)).isEqualTo(4);
        assertThat(DetectableChange.runsNeeded(0.05 / 10)).isEqualTo(6);
        // the floor is what commons-statistics' exact test actually returns for completely separated groups
        double p = MannWhitneyUTest.withDefaults().test(new double[]{1, 2, 3, 4, 5}, new double[]{6, 7, 8, 9, 10}).getPValue();
        assertThat(p).isCloseTo(DetectableChange.minimumPValue(5, 5), within(1e-12));
        assertThat(DetectableChange.smallestDetectable(new double[]{1, 2, 3}, new double[]{1, 2, 3}, 0.05, 0))
                .isInfinite();
    }

    @Test
    void smallestDetectableChangeFollowsThePowerFormula() {
        double[] b = {98, 99, 100, 101, 102, 100};
        double[] v = {97, 100, 100, 103, 101, 99};
        double s1 = Descriptive.robustSigma(b);
        double s2 = Descriptive.robustSigma(v);
        double sigma = Math.sqrt((s1 * s1 + s2 * s2) / 2);
        double expected = (1.959963984540054 + 0.8416212335729143) * sigma * Math.sqrt((2.0 / 6) * Math.PI / 3) / 100;
        assertThat(DetectableChange.smallestDetectable(b, v, 0.05, 0)).isCloseTo(expected, within(1e-9));
        // constant runs: the 4 KiB page quantum is the noise floor
        double[] c = {409600, 409600, 409600, 409600, 409600, 409600};
        double floor = 2.8015852181 * (4096 / Math.sqrt(12)) * Math.sqrt((2.0 / 6) * Math.PI / 3) / 409600;
        assertThat(DetectableChange.smallestDetectable(c, c, 0.05, 4096)).isCloseTo(floor, within(1e-9));
    }

    @Test
    void bootstrapIsDeterministicPerSeedAndBracketsTheEstimate() {
        double[] b = {100, 102, 98, 101, 99, 100};
        double[] v = {80, 82, 79, 81, 78, 80};
        double[] ci1 = Bootstrap.relativeChangeCi(b, v, 10_000, 42, 0.95);
        double[] ci2 = Bootstrap.relativeChangeCi(b, v, 10_000, 42, 0.95);
        assertThat(ci1).containsExactly(ci2);
        assertThat(ci1[0]).isLessThanOrEqualTo(-0.2).isGreaterThan(-0.25);
        assertThat(ci1[1]).isGreaterThanOrEqualTo(-0.2).isLessThan(-0.15);
        assertThat(Bootstrap.relativeChangeCi(new double[]{0, 0, 0}, v, 1000, 1, 0.95)[0]).isNaN();
    }

    @Test
    void aNonSignificantResultIsInconclusiveOnlyWhenTheIntervalAtTheDecidingLevelMissesZero() {
        // 6 runs each; at alpha 0.01 the rank test does not reject either pair (p=0.029 and p=0.016)
        List<Comparison> lean = Comparisons.compare(variants(new long[]{1008, 1012, 1017, 1012, 1004, 1009},
                new long[]{1001, 1007, 1003, 1004, 1008, 1007}), List.of(Metric.PEAK_RSS), 42, 0.01);
        assertThat(lean).hasSize(1);
        Comparison c = lean.get(0);
        // the 95% interval misses zero (as it does in about one A/A comparison in twenty); the 99% one does not
        assertThat(c.ciHigh()).isLessThan(0);
        assertThat(c.outcome()).isEqualTo(Comparison.Outcome.NO_DIFFERENCE);
        assertThat(c.verdict()).isEqualTo("no difference in peak RSS detected between arena2 and glibc (\u22120.5%, "
                + "95% CI \u22121.0\u20260.0%, p=0.03; the 95% interval misses zero, the 99% one this report decides at "
                + "does not) \u2014 with 6 runs the smallest change this could detect is about 0.6%");
        // at alpha 0.05 the same runs are a significant change
        assertThat(Comparisons.compare(variants(new long[]{1008, 1012, 1017, 1012, 1004, 1009},
                new long[]{1001, 1007, 1003, 1004, 1008, 1007}), List.of(Metric.PEAK_RSS), 42, 0.05).get(0).outcome())
                .isEqualTo(Comparison.Outcome.LOWER);
        // here even the 99% interval misses zero while the test does not reject: the two disagree
        Comparison split = Comparisons.compare(variants(new long[]{1001, 1007, 1008, 1006, 1002, 1001},
                new long[]{1006, 1019, 1009, 1019, 1017, 1015}), List.of(Metric.PEAK_RSS), 42, 0.01).get(0);
        assertThat(split.outcome()).isEqualTo(Comparison.Outcome.INCONCLUSIVE);
        assertThat(split.pValueAdjusted()).isGreaterThan(0.01);
    }

    /** glibc and arena2 runs whose peak RSS is the given number of 4 KiB pages. */
    private static Map<String, List<RunResult>> variants(long[] glibcPages, long[] arena2Pages) {
        Map<String, List<RunResult>> out = new LinkedHashMap<>();
        out.put("glibc", runs(glibcPages));
        out.put("arena2", runs(arena2Pages));
        return out;
    }

    private static List<RunResult> runs(long[] pages) {
        List<RunResult> out = new ArrayList<>();
        for (int i = 0; i < pages.length; i++) {
            out.add(new RunResult(i, 0, pages[i] * 4096, pages[i] * 4096, 0.1, 0.0, 0.2, 0, false, 0, 0, null, null,
                    new long[0][], ""));
        }
        return out;
    }

    private static Comparison c(String metric, String label, double change, double lo, double hi, double p,
                                double padj, double detectable, int n, Comparison.Outcome o) {
        return new Comparison("glibc", "jemalloc", metric, label, n, n, 100, 100 * (1 + change), change, lo, hi, p, padj,
                detectable, o, null);
    }

    @Test
    void verdictSentencesStateOnlyWhatTheNumbersSupport() {
        assertThat(Verdicts.sentence(c("peakRssBytes", "peak RSS", -0.23, -0.27, -0.19, 0.008, 0.008, 0.05, 8,
                Comparison.Outcome.LOWER), 1))
                .isEqualTo("jemalloc lowers peak RSS by 23% (95% CI \u221227\u2026\u221219%, p=0.008)");
        assertThat(Verdicts.sentence(c("cpuSeconds", "CPU time", 0.052, 0.021, 0.083, 0.0004, 0.0016, 0.02, 8,
                Comparison.Outcome.HIGHER), 4))
                .isEqualTo("jemalloc raises CPU time by 5.2% (95% CI +2.1\u2026+8.3%, adjusted p=0.002)");
        assertThat(Verdicts.sentence(c("peakRssBytes", "peak RSS", 0.004, -0.012, 0.02, 0.55, 1, 0.031, 6,
                Comparison.Outcome.NO_DIFFERENCE), 4))
                .isEqualTo("no difference in peak RSS detected between jemalloc and glibc (+0.4%, 95% CI \u22121.2\u2026+2.0%, "
                        + "adjusted p=1) \u2014 with 6 runs the smallest change this could detect is about 3.1%");
        assertThat(Verdicts.sentence(c("wallSeconds", "wall time", 0.08, -0.01, 0.2, 0.03, 0.03, 0.3, 6,
                Comparison.Outcome.INCONCLUSIVE), 1))
                .isEqualTo("jemalloc's wall time differs from glibc's by +8% but the evidence is inconclusive "
                        + "(95% CI \u22121\u2026+20%, p=0.03): the interval and the rank test disagree; run more rounds");
        assertThat(Verdicts.sentence(c("peakRssBytes", "peak RSS", -0.4, -0.42, -0.38, 0.029, 0.29, Double.POSITIVE_INFINITY, 4,
                Comparison.Outcome.INCONCLUSIVE), 10))
                .isEqualTo("jemalloc's peak RSS looks 40% lower than glibc's (95% CI \u221242\u2026\u221238%, adjusted p=0.29), "
                        + "but with 4 runs per variant the rank test cannot reach significance at all after correcting for "
                        + "10 comparisons; use at least 6 runs");
    }
}
