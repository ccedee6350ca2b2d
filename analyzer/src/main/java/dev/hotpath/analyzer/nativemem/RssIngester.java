package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.proc.MemSample;
import dev.hotpath.nativemem.proc.RssTimeline;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The RSS timeline ({@code # hotpath-rss v1}) → {@link RssSeries}, averaged down to at most {@link RssSeries#MAX_POINTS}. */
public final class RssIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.RSS);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        RssTimeline.Result r;
        try {
            r = RssTimeline.read(artifact.path());
        } catch (NativeFormatException e) {
            throw NativeInputs.unusable(artifact, e);
        }
        if (r.droppedRows() > 0) {
            ctx.note(artifact.sourceName() + ": " + r.droppedRows() + " malformed row(s) skipped (a torn last line "
                    + "means the recorder was stopped mid-write)");
        }
        List<MemSample> s = r.samples();
        if (s.isEmpty()) {
            ctx.note(artifact.sourceName() + ": no samples");
            return;
        }
        int per = (s.size() + RssSeries.MAX_POINTS - 1) / RssSeries.MAX_POINTS;
        int n = (s.size() + per - 1) / per;
        long[] t = new long[n];
        long[] rss = new long[n];
        long[] pss = new long[n];
        long[] anon = new long[n];
        for (int i = 0; i < n; i++) {
            int from = i * per;
            int to = Math.min(s.size(), from + per);
            long st = 0;
            long sr = 0;
            long sp = 0;
            long sa = 0;
            for (int j = from; j < to; j++) {
                MemSample m = s.get(j);
                st += m.epochMillis();
                sr += m.rssKb();
                sp += m.pssKb();
                sa += m.anonKb();
            }
            int c = to - from;
            t[i] = st / c;
            rss[i] = sr / c;
            pss[i] = sp / c;
            anon[i] = sa / c;
        }
        ctx.add(new RssSeries(artifact, t, rss, pss, anon));
    }
}
