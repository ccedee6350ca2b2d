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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code io.read-amplification}: a file read many times over: the bytes read from it are a multiple of its size, so
 * the same ranges are read again and again (a missing cache, or re-reading a header/index per request).
 * The snapshot holds no file sizes; the rule reads the size of the target as it is on this machine, so it applies
 * when the analysis runs where the service ran and skips files that are gone.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minFactor} (4x the file size), {@code minReadMiB} (16 MiB read).
 * Evidence: target, fileSizeBytes, readBytes, reads, amplification, sites.
 */
public final class IoReadAmplificationRule implements Rule {
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
        return "A file read several times over (bytes read a multiple of its size)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minFactor", 4, "ratio", "bytes read / file size that makes the finding"),
                new Threshold("minReadMiB", 16, "MiB", "bytes read from the file before it is judged"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minFactor = ctx.threshold("minFactor");
        double minRead = ctx.threshold("minReadMiB") * 1024 * 1024;
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            Map<String, long[]> byTarget = new LinkedHashMap<>();
            Map<String, List<String>> sites = new LinkedHashMap<>();
            for (IoCallSite c : s.callSites()) {
                if (c.isFile() && (c.op().equals("read") || c.op().equals("transfer")) && c.target().startsWith("/")) {
                    long[] agg = byTarget.computeIfAbsent(c.target(), k -> new long[2]);
                    agg[0] += c.bytes();
                    agg[1] += c.count();
                    sites.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c.site());
                }
            }
            for (Map.Entry<String, long[]> e : byTarget.entrySet()) {
                long read = e.getValue()[0];
                if (read < minRead) {
                    continue;
                }
                long size = sizeOf(e.getKey());
                if (size <= 0) {
                    continue;
                }
                double factor = IoText.round1((double) read / size);
                if (factor < minFactor) {
                    continue;
                }
                ctx.emit(Finding.builder(id(), category())
                        .severity(Severity.WARNING)
                        .title("Read amplification on " + e.getKey() + ": " + IoText.bytes(read) + " read from a "
                                + IoText.bytes(size) + " file (" + factor + "x)")
                        .summary(e.getValue()[1] + " reads from " + String.join(", ", sites.get(e.getKey()))
                                + " read the file " + factor + " times over.")
                        .evidence("target", e.getKey()).evidence("fileSizeBytes", size).evidence("readBytes", read)
                        .evidence("reads", e.getValue()[1]).evidence("amplification", factor)
                        .evidence("sites", sites.get(e.getKey()))
                        .recommendation("Cache what is read repeatedly (the file is small enough to keep in memory,"
                                + " or memory-map it), or read each range once and share the result.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
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
