package dev.hotpath.analyzer.rules.config;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's configuration against its machine. Sizes in bytes, -1 when the recording does not say;
 * {@code containerMemoryLimitBytes} is -1 outside a container or without a limit.
 */
public record ConfigSummary(Artifact source, String jvmVersion, String jvmArguments, String gc, long heapMaxBytes,
                            long heapInitialBytes, long physicalMemoryBytes, long containerMemoryLimitBytes,
                            int hwThreads, long containerCpus, int parallelGcThreads, int concurrentGcThreads)
        implements Summary {
    public static final String KIND = "config";

    @Override
    public String kind() {
        return KIND;
    }

    /** The memory the process may use: the container limit when there is one, else physical memory. */
    public long availableMemoryBytes() {
        return containerMemoryLimitBytes > 0 ? containerMemoryLimitBytes : physicalMemoryBytes;
    }

    /** CPUs the JVM may use: the container's effective count when known, else hardware threads. */
    public long availableCpus() {
        return containerCpus > 0 ? containerCpus : hwThreads;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jvmVersion", jvmVersion);
        m.put("jvmArguments", jvmArguments);
        m.put("gc", gc);
        m.put("heapMaxBytes", heapMaxBytes);
        m.put("heapInitialBytes", heapInitialBytes);
        m.put("physicalMemoryBytes", physicalMemoryBytes);
        m.put("containerMemoryLimitBytes", containerMemoryLimitBytes);
        m.put("hwThreads", hwThreads);
        m.put("containerCpus", containerCpus);
        m.put("parallelGcThreads", parallelGcThreads);
        m.put("concurrentGcThreads", concurrentGcThreads);
        return m;
    }
}
