package dev.hotpath.alloc.stats;

/**
 * One variant against the baseline on one metric.
 *
 * @param change         {@code median(variant)/median(baseline) − 1}; NaN when not computable
 * @param ciLow          95% percentile-bootstrap interval of {@code change}
 * @param pValue         two-sided Mann–Whitney U p-value as computed
 * @param pValueAdjusted Holm-adjusted over every comparison in the report (what the verdict uses)
 * @param detectable     smallest relative change this experiment could detect ({@link DetectableChange})
 */
public record Comparison(String baseline, String variant, String metric, String label, int nBaseline, int nVariant,
                         double baselineMedian, double variantMedian, double change, double ciLow, double ciHigh,
                         double pValue, double pValueAdjusted, double detectable, Outcome outcome, String verdict) {

    public enum Outcome {
        /** The variant's value is lower: adjusted p below 0.05 and the CI entirely below zero. */
        LOWER,
        /** The variant's value is higher: adjusted p below 0.05 and the CI entirely above zero. */
        HIGHER,
        /** Neither test nor interval shows a change. */
        NO_DIFFERENCE,
        /** The test and the interval disagree; more runs are needed. */
        INCONCLUSIVE,
        /** Too few usable runs, or a zero baseline. */
        NOT_COMPARED;

        public boolean significant() {
            return this == LOWER || this == HIGHER;
        }
    }
}
