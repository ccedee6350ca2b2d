package dev.hotpath.alloc.stats;

import java.util.Locale;

/**
 * The one-sentence verdicts. They never claim more than the numbers: a change is stated only when both the test and
 * the interval agree, and "no difference" always comes with what the experiment could have detected.
 */
public final class Verdicts {
    private static final char MINUS = '\u2212';

    private Verdicts() {
    }

    /** @param family how many comparisons share the Holm correction (the p shown is adjusted when more than one) */
    public static String sentence(Comparison c, int family) {
        return sentence(c, family, Comparisons.ALPHA);
    }

    /** @param alpha the family-wise level the outcome was decided at */
    public static String sentence(Comparison c, int family, double alpha) {
        switch (c.outcome()) {
            case LOWER:
            case HIGHER: {
                int d = decimals(c.change(), c.ciLow(), c.ciHigh());
                return c.variant() + (c.outcome() == Comparison.Outcome.LOWER ? " lowers " : " raises ") + c.label()
                        + " by " + pct(Math.abs(c.change()), d, false) + " (" + ci(c, d) + ", " + p(c, family) + ")";
            }
            case NO_DIFFERENCE: {
                int d = decimals(c.change(), c.ciLow(), c.ciHigh());
                boolean leans = c.ciLow() > 0 || c.ciHigh() < 0;
                return "no difference in " + c.label() + " detected between " + c.variant() + " and " + c.baseline()
                        + " (" + pct(c.change(), d, true) + ", " + ci(c, d) + ", " + p(c, family)
                        + (leans ? "; the 95% interval misses zero, the " + level(1 - alpha / family)
                        + " one this report decides at does not" : "") + ") \u2014 " + detectable(c, family, alpha);
            }
            case INCONCLUSIVE: {
                int d = decimals(c.change(), c.ciLow(), c.ciHigh());
                if (DetectableChange.minimumPValue(c.nBaseline(), c.nVariant()) * family >= alpha) {
                    // the interval alone suggests a change, but the test could not have confirmed one at this size
                    return c.variant() + "'s " + c.label() + " looks " + pct(Math.abs(c.change()), d, false)
                            + (c.change() < 0 ? " lower" : " higher") + " than " + c.baseline() + "'s (" + ci(c, d)
                            + ", " + p(c, family) + "), but " + detectable(c, family, alpha);
                }
                return c.variant() + "'s " + c.label() + " differs from " + c.baseline() + "'s by "
                        + pct(c.change(), d, true) + " but the evidence is inconclusive (" + ci(c, d) + ", " + p(c, family)
                        + "): the interval and the rank test disagree; run more rounds";
            }
            default:
                if (c.nBaseline() < 2 || c.nVariant() < 2) {
                    return c.label() + " not compared for " + c.variant() + ": it needs at least 2 usable runs of each variant (have "
                            + c.nBaseline() + " of " + c.baseline() + ", " + c.nVariant() + " of " + c.variant() + ")";
                }
                return c.label() + " not compared for " + c.variant() + ": the baseline's median is 0, so a relative change is undefined";
        }
    }

    private static String detectable(Comparison c, int family, double alpha) {
        String runs = c.nBaseline() == c.nVariant() ? c.nBaseline() + " runs"
                : c.nBaseline() + " and " + c.nVariant() + " runs";
        if (Double.isInfinite(c.detectable())) {
            int need = DetectableChange.runsNeeded(alpha / family);
            return "with " + runs + " per variant the rank test cannot reach significance at all"
                    + (family > 1 ? " after correcting for " + family + " comparisons" : "")
                    + "; use at least " + need + " runs";
        }
        if (Double.isNaN(c.detectable())) {
            return "the smallest detectable change is unknown (zero baseline)";
        }
        double x = c.detectable();
        return "with " + runs + " the smallest change this could detect is about "
                + pct(x, x < 0.1 ? 1 : 0, false);
    }

    /** 0.9875 → "98.75%", 0.99 → "99%". */
    static String level(double level) {
        return new java.math.BigDecimal(level * 100).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    private static String ci(Comparison c, int d) {
        if (Double.isNaN(c.ciLow())) {
            return "95% CI unavailable";
        }
        return "95% CI " + pct(c.ciLow(), d, true).replace("%", "") + "\u2026" + pct(c.ciHigh(), d, true);
    }

    private static String p(Comparison c, int family) {
        double p = family > 1 ? c.pValueAdjusted() : c.pValue();
        String prefix = family > 1 ? "adjusted p" : "p";
        if (p < 0.001) {
            return prefix + "<0.001";
        }
        return prefix + "=" + new java.math.BigDecimal(p).round(new java.math.MathContext(p >= 0.1 ? 2 : 1)).toPlainString();
    }

    /** One decimal when every number is under 10%, else whole percents (run-to-run noise makes more digits fiction). */
    static int decimals(double... fractions) {
        for (double f : fractions) {
            if (!Double.isNaN(f) && Math.abs(f) >= 0.1) {
                return 0;
            }
        }
        return 1;
    }

    static String pct(double fraction, int decimals, boolean signed) {
        double v = fraction * 100;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v));
        boolean zero = Double.parseDouble(s) == 0;
        String sign = !signed || zero ? "" : v < 0 ? String.valueOf(MINUS) : "+";
        return sign + s + "%";
    }
}
