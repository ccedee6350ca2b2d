package dev.hotpath.cli.testplugins;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

/** Test run-scope rule {@code test.frames-files}: sees every HotFrames summary of the run at once. */
public final class ArtifactCountRule implements Rule {
    @Override
    public String id() {
        return "test.frames-files";
    }

    @Override
    public Category category() {
        return Category.CPU;
    }

    @Override
    public String description() {
        return "Test rule: how many collapsed-stack files a run has";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of();
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<HotFrames> all = ctx.summaries(HotFrames.class);
        if (all.size() < 2) {
            return;
        }
        Finding.Builder f = Finding.builder(id(), Category.CPU).severity(Severity.INFO)
                .title(all.size() + " collapsed-stack files in one run").evidence("files", all.size());
        all.forEach(h -> f.source(h.source().sourceName()));
        ctx.emit(f.build());
    }
}
