package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RSS timeline as parallel arrays (KiB; -1 where unknown). Bounded: {@link RssIngester} keeps at most
 * {@link #MAX_POINTS} points, averaging neighbours when a long recording has more.
 */
public record RssSeries(Artifact source, long[] epochMillis, long[] rssKb, long[] pssKb, long[] anonKb)
        implements Summary {
    public static final String KIND = "native.rss";
    public static final int MAX_POINTS = 2000;

    @Override
    public String kind() {
        return KIND;
    }

    public int size() {
        return epochMillis.length;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochMillis", epochMillis);
        m.put("rssKb", rssKb);
        m.put("pssKb", pssKb);
        return m;
    }
}
