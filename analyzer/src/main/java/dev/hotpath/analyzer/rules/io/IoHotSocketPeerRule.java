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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code io.hot-socket-peer}: one remote peer carrying most of the process's socket operations: a server it calls, or
 * (for connections it accepted, whose target is {@code HOST (client of :PORT)}) one client host. Worth knowing before
 * tuning anything else: that peer's latency is the service's latency, and it is the first place to add pooling,
 * batching or a cache.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (1000 socket ops to the peer), {@code minSharePercent} (50).
 * Evidence: target, ops, bytes, sharePercent, sites, p99Nanos (worst site).
 */
public final class IoHotSocketPeerRule implements Rule {
    /** The agent's target of a connection it saw accepted: the client's host and the local port. */
    private static final Pattern CLIENT = Pattern.compile("(.+) \\(client of :(\\d+)\\)");
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
                Matcher client = CLIENT.matcher(e.getKey());
                boolean accepted = client.matches();
                ctx.emit(Finding.builder(id(), category())
                        .severity(Severity.INFO)
                        .title((accepted ? "Hot client " + client.group(1) + " on :" + client.group(2)
                                : "Hot socket peer " + e.getKey()) + ": " + share + "% of socket operations (" + ops
                                + " ops, " + IoText.bytes(e.getValue()[1]) + ")")
                        .summary("From " + String.join(", ", sites.get(e.getKey())) + "; worst site p99 "
                                + IoText.nanos(e.getValue()[2]) + ".")
                        .evidence("target", e.getKey()).evidence("ops", ops).evidence("bytes", e.getValue()[1])
                        .evidence("sharePercent", share).evidence("sites", sites.get(e.getKey()))
                        .evidence("p99Nanos", e.getValue()[2])
                        .recommendation(accepted
                                ? "One client host brings most of the traffic on :" + client.group(2) + ". If it is a"
                                + " load balancer or proxy, that is expected; otherwise it is the load to size for:"
                                + " check that it reuses its connections and batches small requests, and what it"
                                + " asks again and again that it could cache."
                                : "Treat " + e.getKey() + " as the critical dependency: pool and reuse its"
                                + " connections, batch small requests, and cache what it returns repeatedly.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
