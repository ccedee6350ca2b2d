package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code heap.growth}: a holder whose retained bytes grew between two dumps of one process. Dumps of one process are
 * the HPROF artifacts of one directory (a recorded run writes its dumps into its own {@code heap/} directory), taken
 * in the order their HPROF headers say they were written; a run that covers several processes compares each
 * process's dumps only with each other. Also the baseline run's last dump against this run's first. Needs
 * {@link HeapSummary}. Threshold {@code growthPercent} (default 5, growth as a percent of the newer reachable heap);
 * critical at 4× the threshold. Threshold {@code minGrowthMiB} (default 2): a holder that grew by less is info — two
 * dumps cannot tell a bounded cache or pool that filled up between them from a leak, and so little growth does not
 * threaten the process before more evidence (a third dump, a longer run) can tell. The holder is the most specific field path that grew
 * ({@code thread "main" local in App.main.cache.index}). Result: holder, element class, elements and bytes before and
 * after.
 *
 * <p>Growth of a holder is the evidence of a leak, except where it is not the program's: a JDK-internal table (lazy
 * initialisation of time zones, security providers, JFR) or a frame local that did not exist in the older dump (a
 * request in flight, released when its method returns). Those are reported as info.
 */
public final class HeapGrowthRule implements Rule {
    public static final String ID = "heap.growth";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.HEAP;
    }

    @Override
    public String description() {
        return "A holder's retained heap grew between two dumps of one process";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("growthPercent", 5, "percent", "growth of one holder as a share of the newer heap"),
                new Threshold("minGrowthMiB", 2, "MiB", "least growth of one holder that is a warning"));
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<HeapSummary> dumps = ctx.summaries(HeapSummary.class);
        List<HeapSummary> baseline = ctx.baselineSummaries(HeapSummary.class);
        if (!baseline.isEmpty() && !dumps.isEmpty()) {
            compare(ctx, baseline.get(baseline.size() - 1), dumps.get(0));
        }
        for (List<HeapSummary> process : byProcess(dumps).values()) {
            for (int i = 1; i < process.size(); i++) {
                compare(ctx, process.get(i - 1), process.get(i));
            }
        }
    }

    /** The dumps grouped by directory (one process each), in the order they were written. */
    static Map<String, List<HeapSummary>> byProcess(List<HeapSummary> dumps) {
        Map<String, List<HeapSummary>> out = new LinkedHashMap<>();
        for (HeapSummary s : dumps) {
            Path dir = s.source().path().toAbsolutePath().getParent();
            out.computeIfAbsent(String.valueOf(dir), k -> new ArrayList<>()).add(s);
        }
        // stable sort: dumps without a header time keep their artifact order
        out.values().forEach(l -> l.sort(Comparator.comparingLong((HeapSummary s) -> s.digest().timestamp())));
        return out;
    }

    private void compare(RuleContext ctx, HeapSummary older, HeapSummary newer) {
        double min = ctx.threshold("growthPercent");
        long minBytes = (long) (ctx.threshold("minGrowthMiB") * 1024 * 1024);
        long heap = Math.max(1, newer.report().reachableBytes());
        for (HeapReport.HolderGrowth g : newer.digest().holderGrowthSince(older.digest(), 20)) {
            long grew = g.retainedAfter() - g.retainedBefore();
            double pct = Math.round(1000.0 * grew / heap) / 10.0;
            if (pct < min) {
                continue;
            }
            long elements = g.elementsAfter() - g.elementsBefore();
            boolean appeared = g.retainedBefore() == 0;
            boolean notTheProgram = JdkHolders.isJdk(g.holder()) || (appeared && JdkHolders.isFrameLocal(g.holder()));
            boolean tooLittle = grew < minBytes;
            ctx.emit(Finding.builder(ID, Category.HEAP)
                    .severity(notTheProgram || tooLittle ? Severity.INFO : pct >= 4 * min ? Severity.CRITICAL : Severity.WARNING)
                    .title(g.holder() + " grew by " + grew + " bytes (" + pct + "% of the heap) and " + elements
                            + " elements between " + older.source().sourceName() + " and " + newer.source().sourceName())
                    .summary(g.holder() + " held " + g.elementsBefore() + " then " + g.elementsAfter() + " elements of "
                            + g.elementClass() + ", retaining " + g.retainedBefore() + " then " + g.retainedAfter() + " bytes")
                    .evidence("holder", g.holder())
                    .evidence("elementClass", g.elementClass())
                    .evidence("elementsBeforeCount", g.elementsBefore())
                    .evidence("elementsAfterCount", g.elementsAfter())
                    .evidence("retainedBeforeBytes", g.retainedBefore())
                    .evidence("retainedAfterBytes", g.retainedAfter())
                    .evidence("growthBytes", grew)
                    .evidence("sharePercent", pct)
                    .recommendation("Check what adds to " + g.holder() + " and what should remove from it; a holder that only grows is a leak.")
                    .source(older.source().sourceName())
                    .source(newer.source().sourceName())
                    .build());
        }
    }
}
