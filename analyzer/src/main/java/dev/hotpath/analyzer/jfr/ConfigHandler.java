package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.rules.config.ConfigSummary;
import dev.hotpath.analyzer.jfr.read.JfrEvent;

import java.util.Set;

/** The recording's configuration events (emitted at each chunk start; the last value wins). */
final class ConfigHandler implements JfrHandler {
    private String version = "";
    private String args = "";
    private String gc = "unknown";
    private long heapMax = -1;
    private long heapInitial = -1;
    private long physical = -1;
    private long containerLimit = -1;
    private int hwThreads;
    private long containerCpus = -1;
    private int parallel;
    private int concurrent;
    private boolean any;

    @Override
    public boolean mergesByReplay() {
        return true;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.JVMInformation", "jdk.GCConfiguration", "jdk.GCHeapConfiguration", "jdk.PhysicalMemory",
                "jdk.ContainerConfiguration", "jdk.CPUInformation");
    }

    @Override
    public void accept(JfrEvent e) {
        any = true;
        switch (e.type().name()) {
            case "jdk.JVMInformation" -> {
                version = e.getString("jvmVersion");
                args = e.getString("jvmArguments");
            }
            case "jdk.GCConfiguration" -> {
                gc = GcHandler.collectorFamily(e.getString("youngCollector"), e.getString("oldCollector"));
                parallel = e.getInt("parallelGCThreads");
                concurrent = e.getInt("concurrentGCThreads");
            }
            case "jdk.GCHeapConfiguration" -> {
                heapMax = e.getLong("maxSize");
                heapInitial = e.getLong("initialSize");
            }
            case "jdk.PhysicalMemory" -> physical = e.getLong("totalSize");
            case "jdk.ContainerConfiguration" -> {
                long limit = e.getLong("memoryLimit");
                containerLimit = limit > 0 ? limit : -1;
                long cpus = e.getLong("effectiveCpuCount");
                containerCpus = cpus > 0 ? cpus : -1;
            }
            case "jdk.CPUInformation" -> hwThreads = Math.max(hwThreads, e.getInt("hwThreads"));
            default -> { }
        }
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        if (any) {
            ctx.add(new ConfigSummary(artifact, version == null ? "" : version, args == null ? "" : args, gc,
                    heapMax, heapInitial, physical, containerLimit, hwThreads, containerCpus, parallel, concurrent));
        }
    }
}
