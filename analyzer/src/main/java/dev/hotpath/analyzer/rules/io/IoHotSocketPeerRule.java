package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code io.hot-socket-peer}: one remote peer carrying most of the process's socket operations. Worth knowing before
 * tuning anything else: that peer's latency is the service's latency, and it is the first place to add pooling,
 * batching or a cache.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (1000 socket ops to the peer), {@code minSharePercent} (50).
 * Evidence: target, ops, bytes, sharePercent, sites, p99Nanos (worst site).
 */
public final class IoHotSocketPeerRule implements Rule {
    @Override
    public String id() {
        return "io.hot-socket-peer";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "One socket peer carrying most of the socket operations";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 1000, "count", "socket operations to one peer before it counts"),
                new Threshold("minSharePercent", 50, "percent", "share of all socket operations that makes it hot"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minOps = ctx.threshold("minOps");
        double minShare = ctx.threshold("minSharePercent");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            long total = 0;
            Map<String, long[]> byPeer = new LinkedHashMap<>();
            Map<String, List<String>> sites = new LinkedHashMap<>();
            for (IoCallSite c : s.callSites()) {
                if (!c.isSocket() || c.op().equals("accept")) {
                    continue;
                }
                total += c.count();
                long[] agg = byPeer.computeIfAbsent(c.target(), k -> new long[3]);
                agg[0] += c.count();
                agg[1] += c.bytes();
                agg[2] = Math.max(agg[2], c.p99Nanos());
                List<String> list = sites.computeIfAbsent(c.target(), k -> new ArrayList<>());
                if (!list.contains(c.site())) {
                    list.add(c.site());
                }
            }
            for (Map.Entry<String, long[]> e : byPeer.entrySet()) {
                long ops = e.getValue()[0];
                double share = total == 0 ? 0 : IoText.round1(100.0 * ops / total);
                if (ops < minOps || share < minShare) {
                    continue;
                }
                ctx.emit(Finding.builder(id(), category())
                        .severity(Severity.INFO)
                        .title("Hot socket peer " + e.getKey() + ": " + share + "% of socket operations (" + ops
                                + " ops, " + IoText.bytes(e.getValue()[1]) + ")")
                        .summary("From " + String.join(", ", sites.get(e.getKey())) + "; worst site p99 "
                                + IoText.nanos(e.getValue()[2]) + ".")
                        .evidence("target", e.getKey()).evidence("ops", ops).evidence("bytes", e.getValue()[1])
                        .evidence("sharePercent", share).evidence("sites", sites.get(e.getKey()))
                        .evidence("p99Nanos", e.getValue()[2])
                        .recommendation("Treat " + e.getKey() + " as the critical dependency: pool and reuse its"
                                + " connections, batch small requests, and cache what it returns repeatedly.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
