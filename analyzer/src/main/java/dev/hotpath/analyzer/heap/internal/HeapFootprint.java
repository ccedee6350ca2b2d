package dev.hotpath.analyzer.heap.internal;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Asks the JVM to keep its heap close to the live data while a big dump is analysed: the engine's phases free
 * hundreds of MiB of arrays and allocate as many anew, and with the default free ratios (keep 40–70% free) the
 * collector keeps or grows committed memory that counts toward the process's RSS. {@code MinHeapFreeRatio} and
 * {@code MaxHeapFreeRatio} are manageable HotSpot flags; other JVMs, or a JVM that refuses, are left alone. Measured
 * on the 1.54 GiB benchmark dump (at an intermediate state of the engine): peak RSS 984 MiB with the defaults, 832 MiB
 * with 1% / 10% (docs/heap.md).
 */
public final class HeapFootprint {
    private final String oldMin;
    private final String oldMax;

    private HeapFootprint(String oldMin, String oldMax) {
        this.oldMin = oldMin;
        this.oldMax = oldMax;
    }

    /** Tightens the free ratios; returns what {@link #restore} puts back, or null when nothing was changed. */
    public static HeapFootprint tighten() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            String min = vm.getVMOption("MinHeapFreeRatio").getValue();
            String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
            vm.setVMOption("MinHeapFreeRatio", "1"); // min first: the JVM checks min <= max on each change
            vm.setVMOption("MaxHeapFreeRatio", "10");
            return new HeapFootprint(min, max);
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot, or the flags are not manageable here: the defaults only cost memory
        }
    }

    public void restore() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            vm.setVMOption("MaxHeapFreeRatio", oldMax); // max first, back above the old min
            vm.setVMOption("MinHeapFreeRatio", oldMin);
        } catch (RuntimeException | LinkageError e) {
            // best effort: the analysis is over either way
        }
    }
}
