package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.rules.cpu.CpuSummary;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code jdk.CPULoad}, {@code jdk.CPUInformation}, {@code jdk.Deoptimization}, {@code jdk.Compilation}. */
final class CpuHandler implements JfrHandler {
    private static final int TOP = 20;
    private long loadSamples;
    private double jvmSum;
    private double machineSum;
    private double machineMax;
    private int hwThreads;
    private long deopts;
    private final Map<String, Map<String, long[]>> deoptByMethod = new HashMap<>();
    private long compilations;
    private long compilationNanos;

    @Override
    public boolean mergesByReplay() {
        return true;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.CPULoad", "jdk.CPUInformation", "jdk.Deoptimization", "jdk.Compilation");
    }

    @Override
    public void accept(JfrEvent e) {
        switch (e.type().name()) {
            case "jdk.CPULoad" -> {
                loadSamples++;
                jvmSum += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                double m = e.getFloat("machineTotal");
                machineSum += m;
                machineMax = Math.max(machineMax, m);
            }
            case "jdk.CPUInformation" -> hwThreads = Math.max(hwThreads, e.getInt("hwThreads"));
            case "jdk.Deoptimization" -> {
                deopts++;
                JfrMethod m = e.getMethod("method");
                String name = m == null ? "[unknown]" : m.getType().getName() + '.' + m.getName();
                String reason = e.getString("reason");
                deoptByMethod.computeIfAbsent(name, k -> new HashMap<>())
                        .computeIfAbsent(reason == null ? "unknown" : reason, k -> new long[1])[0]++;
            }
            case "jdk.Compilation" -> {
                compilations++;
                compilationNanos += e.durationNanos();
            }
            default -> { }
        }
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        if (loadSamples == 0 && deopts == 0 && compilations == 0 && hwThreads == 0) {
            return;
        }
        List<CpuSummary.MethodCount> list = new ArrayList<>();
        for (Map.Entry<String, Map<String, long[]>> e : deoptByMethod.entrySet()) {
            long total = 0;
            String topReason = "";
            long topCount = -1;
            for (Map.Entry<String, long[]> r : e.getValue().entrySet()) {
                total += r.getValue()[0];
                if (r.getValue()[0] > topCount) {
                    topCount = r.getValue()[0];
                    topReason = r.getKey();
                }
            }
            list.add(new CpuSummary.MethodCount(e.getKey(), total, topReason));
        }
        list.sort((a, b) -> Long.compare(b.count(), a.count()));
        double n = Math.max(1, loadSamples);
        ctx.add(new CpuSummary(artifact, loadSamples, jvmSum / n, machineSum / n, machineMax, hwThreads, deopts,
                list.size() > TOP ? list.subList(0, TOP) : list, compilations, compilationNanos, info.durationMs()));
    }
}
