package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.nativemem.nmt.NmtCategory;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NMT output (summary, detail or summary.diff) with the time it was taken ({@code hotpath record}'s header, or
 * the file's modification time).
 */
public record NmtSnapshot(Artifact source, long epochMillis, NmtReport report) implements Summary {
    public static final String KIND = "native.nmt";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochMillis", epochMillis);
        m.put("kind", report.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("totalCommittedKb", report.totalCommittedKb());
        m.put("totalReservedKb", report.totalReservedKb());
        Map<String, Object> cats = new LinkedHashMap<>();
        for (NmtCategory c : report.categories().values()) {
            cats.put(c.name(), Map.of("committedKb", c.committedKb(), "reservedKb", c.reservedKb()));
        }
        m.put("categories", cats);
        return m;
    }
}
