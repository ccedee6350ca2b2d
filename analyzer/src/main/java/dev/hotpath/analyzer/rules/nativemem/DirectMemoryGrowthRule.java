package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.rules.RuleContext;

import java.util.List;
import java.util.Set;

/**
 * {@code native.direct-memory-growth}: NMT's "Other" category (where JDK 11+ accounts
 * {@code ByteBuffer.allocateDirect} and {@code Unsafe.allocateMemory}) keeps growing. Defaults: 5 MB/min warning,
 * 50 MB/min critical, at least 8 MB over the window — direct memory is normally allocated once (pools, I/O buffers)
 * and then reused, so steady growth is buffers kept alive (or never freed, for Unsafe).
 */
public final class DirectMemoryGrowthRule extends NmtCategoryGrowthRule {
    public static final String ID = "native.direct-memory-growth";

    public DirectMemoryGrowthRule() {
        super(ID, List.of("Other"), 5, 50, 8);
    }

    @Override
    public String description() {
        return "Direct ByteBuffers / Unsafe memory (NMT 'Other') keep growing";
    }

    @Override
    void describe(RuleContext ctx, NativeTimeline tl, double slope, Finding.Builder f, Set<String> sources,
                  List<NativeMemSummary> nativemem, List<JemallocProfileSummary> jemalloc) {
        Culprits.Culprit c = Culprits.find(nativemem, jemalloc, Culprits::directBuffer);
        String where = c == null ? "" : " allocated at " + c.stack().culprit();
        f.title("Direct memory (NMT Other) grows " + fmt(slope) + " MB/min" + where);
        f.summary("NMT's 'Other' category, which holds direct ByteBuffers and Unsafe.allocateMemory, grows "
                + fmt(slope) + " MB/min after warm-up." + (c == null
                ? " Record with --async-profiler nativemem to see the allocating Java stack."
                : " " + c.source() + " puts " + fmt(c.mbPerMin()) + " MB/min of unfreed memory under " + c.stack().culprit() + "."));
        if (c != null) {
            f.evidence("culprit", c.stack().culprit())
                    .evidence("culpritStack", c.stack().frames().subList(0, Math.min(16, c.stack().frames().size())))
                    .evidence("culpritMbPerMin", UntrackedNativeGrowthRule.round(c.mbPerMin()));
            sources.add(c.source());
        }
        f.recommendation("Release or pool the direct buffers" + where + " (a ByteBuffer.allocateDirect per request "
                + "keeps native memory until the buffer object is collected); cap the total with "
                + "-XX:MaxDirectMemorySize so a leak fails fast with an OutOfMemoryError naming direct memory.");
    }
}
