package dev.hotpath.analyzer.rules.cpu;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code cpu.deopt-storm}: the JIT keeps throwing away compiled code of one method (a deoptimise–recompile loop).
 *
 * <p>Start-up deoptimises many methods once each; a storm is one method deoptimised again and again at a steady
 * rate after warm-up, which runs it interpreted between recompilations. Needs: {@link CpuSummary}
 * ({@code jdk.Deoptimization}, profile settings). Evidence: method, count, perMinute, reason, total.
 */
public final class DeoptStormRule implements Rule {
    public static final String ID = "cpu.deopt-storm";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minCount", 20, "count", "deoptimizations of one method"),
            new Threshold("minPerMinute", 10, "per minute", "sustained rate for one method"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.CPU;
    }

    @Override
    public String description() {
        return "One method deoptimized repeatedly (deoptimize/recompile loop)";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (CpuSummary c : ctx.summaries(CpuSummary.class)) {
            for (CpuSummary.MethodCount m : c.deoptByMethod()) {
                double perMin = c.durationMs() <= 0 ? 0 : round1(m.count() * 60_000.0 / c.durationMs());
                if (m.count() < ctx.threshold("minCount") || perMin < ctx.threshold("minPerMinute")) {
                    continue;
                }
                ctx.emit(Finding.builder(ID, Category.CPU).severity(Severity.WARNING)
                        .title(m.method() + " was deoptimized " + m.count() + " times")
                        .summary(m.method() + " was deoptimized " + m.count() + " times (" + fmt(perMin)
                                + " per minute, mostly '" + m.reason() + "'), out of " + c.deoptimizations()
                                + " deoptimizations in the recording.")
                        .evidence("method", m.method())
                        .evidence("count", m.count())
                        .evidence("perMinute", perMin)
                        .evidence("reason", m.reason())
                        .evidence("totalDeoptimizations", c.deoptimizations())
                        .recommendation("Make " + m.method() + "'s hot path type-stable (one receiver type, no rare "
                                + "branch taken late, no exception thrown on it); -XX:PerMethodTrapLimit and "
                                + "-XX:PerBytecodeRecompilationCutoff cap the loop while you fix it.")
                        .source(c.source().sourceName()).build());
            }
        }
    }
}
