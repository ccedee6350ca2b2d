package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code io.read-amplification}: the same ranges of a file read again and again (a missing cache, or a header or
 * index re-read per request).
 *
 * <h2>By distinct ranges (agent snapshots with {@code distinctBytes})</h2>
 * The agent estimates, per read key (call site x file), the distinct bytes its reads touched, in whole 4 KiB blocks.
 * Each read site of a file is judged by its bytes read / its distinct bytes; the sites at {@code minFactor} or more
 * make the file's finding, whose figures add those sites up. Judging per site is conservative: the agent cannot tell
 * whether two sites read the same ranges, so two sites each reading the whole file once are not counted as
 * amplification, and a site that scans the file once neither dilutes nor joins a site that re-reads a few blocks of
 * it. This needs nothing but the snapshot: the file may be gone, or the analysis run on another machine. A saturated
 * estimate ({@code distinctSaturated}) is only a lower bound of the distinct bytes, so it bounds the amplification
 * from above and proves none: such sites are not judged this way.
 *
 * <h2>By the file's size (older snapshots, transfer keys, saturated estimates only)</h2>
 * When no site of a file has a usable estimate, the bytes read by all its read and transfer sites are compared with
 * the file's size as it is on this machine (skipped when the file is not here, or its path is relative). A saturated
 * estimate larger than that size means the file has changed since it was read; the rule then claims nothing, so that
 * no factor exceeds what the estimate allows.
 *
 * <p>Needs: {@link IoSnapshot}. Thresholds: {@code minFactor} (4x), {@code minReadMiB} (16 MiB read by the judged
 * sites). Evidence: target, basis ({@code distinctRanges} or {@code fileSize}), readBytes, reads, distinctBytes (-1
 * without an estimate), fileSizeBytes (the size on this machine, -1 when the file is not here), amplification, sites,
 * and with the distinct basis perSite ({@code site, readBytes, distinctBytes, amplification} each).
 */
public final class IoReadAmplificationRule implements Rule {
    private static final int NAMED_SITES = 5;

    @Override
    public String id() {
        return "io.read-amplification";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "The same ranges of a file read again and again (bytes read a multiple of the distinct bytes read)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minFactor", 4, "ratio",
                        "bytes read / distinct bytes read (or / file size) that makes the finding"),
                new Threshold("minReadMiB", 16, "MiB", "bytes read from the file before it is judged"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minFactor = ctx.threshold("minFactor");
        double minRead = ctx.threshold("minReadMiB") * 1024 * 1024;
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            Map<String, List<IoCallSite>> byTarget = new LinkedHashMap<>();
            for (IoCallSite c : s.callSites()) {
                // "(fd)" and "(other)" name no one file
                if (c.isFile() && (c.op().equals("read") || c.op().equals("transfer")) && !c.target().isEmpty()
                        && !c.target().startsWith("(")) {
                    byTarget.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c);
                }
            }
            for (Map.Entry<String, List<IoCallSite>> e : byTarget.entrySet()) {
                List<IoCallSite> estimated = new ArrayList<>();
                for (IoCallSite c : e.getValue()) {
                    if (c.hasDistinctEstimate() && c.distinctBytes() > 0) {
                        estimated.add(c);
                    }
                }
                String source = s.source().sourceName();
                Finding f = estimated.isEmpty() ? bySize(e.getKey(), e.getValue(), minFactor, minRead, source)
                        : byDistinct(e.getKey(), estimated, minFactor, minRead, source);
                if (f != null) {
                    ctx.emit(f);
                }
            }
        }
    }

    private Finding byDistinct(String target, List<IoCallSite> estimated, double minFactor, double minRead,
                               String source) {
        List<IoCallSite> amplifying = new ArrayList<>();
        for (IoCallSite c : estimated) {
            if ((double) c.bytes() / c.distinctBytes() >= minFactor) {
                amplifying.add(c);
            }
        }
        amplifying.sort(Comparator.comparingLong(IoCallSite::bytes).reversed().thenComparing(IoCallSite::site));
        long read = 0;
        long distinct = 0;
        long reads = 0;
        List<String> sites = new ArrayList<>();
        List<Map<String, Object>> perSite = new ArrayList<>();
        for (IoCallSite c : amplifying) {
            read += c.bytes();
            distinct += c.distinctBytes();
            reads += c.count();
            sites.add(c.site());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", c.site());
            m.put("readBytes", c.bytes());
            m.put("distinctBytes", c.distinctBytes());
            m.put("amplification", IoText.round1((double) c.bytes() / c.distinctBytes()));
            perSite.add(m);
        }
        if (amplifying.isEmpty() || read < minRead) {
            return null;
        }
        double factor = IoText.round1((double) read / distinct);
        return Finding.builder(id(), category())
                .severity(Severity.WARNING)
                .title("Read amplification on " + target + ": " + IoText.bytes(read) + " read from "
                        + IoText.bytes(distinct) + " of distinct ranges (" + factor + "x)")
                .summary(reads + " reads at " + siteList(perSite) + " read the same ranges " + factor
                        + " times over. Distinct ranges are the agent's estimate per site in 4 KiB blocks, so ranges"
                        + " re-read across sites are not counted.")
                .evidence("target", target).evidence("basis", "distinctRanges").evidence("readBytes", read)
                .evidence("reads", reads).evidence("distinctBytes", distinct)
                .evidence("fileSizeBytes", target.startsWith("/") ? sizeOf(target) : -1L)
                .evidence("amplification", factor)
                .evidence("sites", sites).evidence("perSite", perSite)
                .recommendation("Cache what " + amplifying.get(0).site() + " reads repeatedly (its distinct ranges"
                        + " total " + IoText.bytes(amplifying.get(0).distinctBytes()) + "), or memory-map the file,"
                        + " or read each range once and share the result.")
                .source(source)
                .build();
    }

    /** "a (78.1 MiB from 256.0 KiB, 312.5x), b (...)" for several sites, the site alone for one. */
    private static String siteList(List<Map<String, Object>> perSite) {
        if (perSite.size() == 1) {
            return (String) perSite.get(0).get("site");
        }
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> m : perSite.subList(0, Math.min(NAMED_SITES, perSite.size()))) {
            parts.add(m.get("site") + " (" + IoText.bytes((Long) m.get("readBytes")) + " from "
                    + IoText.bytes((Long) m.get("distinctBytes")) + ", " + m.get("amplification") + "x)");
        }
        String list = String.join(", ", parts);
        int more = perSite.size() - NAMED_SITES;
        return more > 0 ? list + " and " + more + " more site" + (more == 1 ? "" : "s") : list;
    }

    private Finding bySize(String target, List<IoCallSite> keys, double minFactor, double minRead,
                           String source) {
        long read = 0;
        long reads = 0;
        long saturatedBound = -1;
        List<String> sites = new ArrayList<>();
        for (IoCallSite c : keys) {
            read += c.bytes();
            reads += c.count();
            sites.add(c.site());
            if (c.distinctSaturated()) {
                saturatedBound = Math.max(saturatedBound, c.distinctBytes());
            }
        }
        if (read < minRead) {
            return null;
        }
        // a relative path is relative to where the service ran, not to this process
        long size = target.startsWith("/") ? sizeOf(target) : -1;
        if (size <= 0 || saturatedBound > size) {
            return null;
        }
        double factor = IoText.round1((double) read / size);
        if (factor < minFactor) {
            return null;
        }
        return Finding.builder(id(), category())
                .severity(Severity.WARNING)
                .title("Read amplification on " + target + ": " + IoText.bytes(read) + " read from a "
                        + IoText.bytes(size) + " file (" + factor + "x)")
                .summary(reads + " reads from " + String.join(", ", sites) + " read the file " + factor
                        + " times over (its size as it is on this machine; the snapshot has no distinct-range"
                        + " estimate for it).")
                .evidence("target", target).evidence("basis", "fileSize").evidence("fileSizeBytes", size)
                .evidence("readBytes", read).evidence("reads", reads).evidence("distinctBytes", saturatedBound)
                .evidence("amplification", factor).evidence("sites", sites)
                .recommendation("Cache what is read repeatedly (the file is small enough to keep in memory,"
                        + " or memory-map it), or read each range once and share the result.")
                .source(source)
                .build();
    }

    private static long sizeOf(String target) {
        try {
            Path p = Paths.get(target);
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
