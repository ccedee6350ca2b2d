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
 * {@code cpu.machine-contention}: the machine is busy with work that is not this JVM's.
 *
 * <p>When other processes take most of the CPU, this JVM's latency and throughput numbers describe a starved
 * process; every other finding of the run should be read with that in mind. It is reported as info: other
 * processes on the machine are context for the run, not a defect of the application. Needs: {@link CpuSummary}
 * ({@code jdk.CPULoad}). Evidence: machinePercent, jvmPercent, othersPercent (averages of all hardware threads),
 * machineMaxPercent, samples.
 */
public final class JvmVsMachineRule implements Rule {
    public static final String ID = "cpu.machine-contention";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("othersPercent", 50, "percent", "average machine CPU used by other processes"),
            new Threshold("minSamples", 3, "count", "CPULoad samples needed"));

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
        return "Other processes use most of the machine's CPU (JVM vs machine CPU)";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (CpuSummary c : ctx.summaries(CpuSummary.class)) {
            if (c.loadSamples() < ctx.threshold("minSamples")) {
                continue;
            }
            double machine = round1(100 * c.machineAvg());
            double jvm = round1(100 * c.jvmAvg());
            double others = round1(Math.max(0, machine - jvm));
            if (others < ctx.threshold("othersPercent")) {
                continue;
            }
            ctx.emit(Finding.builder(ID, Category.CPU).severity(Severity.INFO)
                    .title("Other processes used " + fmt(others) + "% of the machine's CPU")
                    .summary("On average the machine was " + fmt(machine) + "% busy and this JVM used " + fmt(jvm)
                            + "% of it, so other processes took " + fmt(others) + "% (" + c.hwThreads()
                            + " hardware threads, " + c.loadSamples() + " samples): this JVM competed for CPU. This is context "
                            + "for the other findings (latencies are inflated), not a defect of the application.")
                    .evidence("context", true)
                    .evidence("machinePercent", machine)
                    .evidence("jvmPercent", jvm)
                    .evidence("othersPercent", others)
                    .evidence("machineMaxPercent", round1(100 * c.machineMax()))
                    .evidence("hwThreads", (long) c.hwThreads())
                    .evidence("samples", c.loadSamples())
                    .recommendation("Run the service (or this measurement) on a machine or container with dedicated "
                            + "CPUs, or find the neighbouring process; treat latency findings from this run as inflated.")
                    .source(c.source().sourceName()).build());
        }
    }
}
