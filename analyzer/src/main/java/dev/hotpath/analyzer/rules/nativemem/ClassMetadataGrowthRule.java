package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.List;
import java.util.Set;

/**
 * {@code native.class-metadata-growth}: NMT's Class (and, on JDK 21+, Metaspace) categories keep growing after
 * warm-up — classes keep being defined and their loaders never collected (a class-loader leak: redeploys,
 * per-request proxies, scripting engines). Defaults: 5 MB/min, 50 MB/min critical, 8 MB total.
 */
public final class ClassMetadataGrowthRule extends NmtCategoryGrowthRule {
    public static final String ID = "native.class-metadata-growth";

    public ClassMetadataGrowthRule() {
        super(ID, List.of("Class", "Metaspace"), 5, 50, 8);
    }

    @Override
    public String description() {
        return "Class metadata (NMT Class/Metaspace) keeps growing: classes defined and never unloaded";
    }

    @Override
    long committedKb(NmtReport r) {
        // JDK 21+ prints Metaspace as its own category *and* inside Class; count Class once, plus Metaspace's own
        return r.committedKb("Class") + r.committedKb("Metaspace");
    }

    @Override
    void describe(RuleContext ctx, NativeTimeline tl, double slope, Finding.Builder f, Set<String> sources,
                  List<NativeMemSummary> nativemem, List<JemallocProfileSummary> jemalloc) {
        long classesStart = classes(tl.nmt.get(0).report());
        long classesEnd = classes(tl.nmt.get(tl.nmt.size() - 1).report());
        f.title("Class metadata grows " + fmt(slope) + " MB/min (" + classesStart + " → " + classesEnd + " classes)");
        f.summary("NMT's Class/Metaspace committed memory grows " + fmt(slope) + " MB/min after warm-up while the "
                + "loaded class count goes from " + classesStart + " to " + classesEnd + ".");
        f.evidence("classesStart", classesStart).evidence("classesEnd", classesEnd);
        f.recommendation("Look for class loaders that are created repeatedly and stay reachable (a heap dump's "
                + "ClassLoader instances by retained size); cap the damage with -XX:MaxMetaspaceSize.");
    }

    private static long classes(NmtReport r) {
        var c = r.categories().get("Class");
        return c == null ? 0 : c.count();
    }
}
