package dev.hotpath.bench.heap;

import dev.hotpath.analyzer.heap.HeapEngine;
import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.heap.internal.HprofInput;
import dev.hotpath.analyzer.heap.internal.LongIntMap;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Heap engine benchmark: full analysis (histogram, dominators, retained sizes, suspects) vs a bare streaming pass that
 * builds the class histogram, optionally NetBeans' profiler library computing retained sizes — each in a forked JVM
 * whose peak RSS (VmHWM) it reports. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am compile
 * java -Dsize=1g [-Druns=3] [-Dxmx=2g] [-Dnbxmx=8g] [-Djvmargs="-XX:+UseTransparentHugePages"] [-Ddump=/tmp/x.hprof] \
 *      [-Dnetbeans=PATH-TO-org-netbeans-lib-profiler.jar] -cp benchmarks/target/classes:analyzer/target/classes \
 *      dev.hotpath.bench.heap.HeapBench
 * </pre>
 *
 * {@code -Djvmargs} go to every forked JVM (all modes alike); {@code -Dnbxmx} is NetBeans' heap (default: {@code -Dxmx}).
 *
 * The dump is made once by a real JVM running {@link HeapGen} and dumped with {@code jcmd GC.heap_dump}, then reused.
 */
public final class HeapBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            child(args[0], Path.of(args[1]));
            return;
        }
        long size = parseSize(System.getProperty("size", "1g"));
        int runs = Integer.getInteger("runs", 3);
        Path dump = Path.of(System.getProperty("dump",
                Path.of(System.getProperty("java.io.tmpdir"), "hotpath-bench-" + System.getProperty("size", "1g") + ".hprof").toString()));
        if (!Files.isRegularFile(dump)) {
            generate(size, dump);
        }
        String xmx = System.getProperty("xmx", Math.max(512, Files.size(dump) * 3 / 2 >> 20) + "m");
        String nbXmx = System.getProperty("nbxmx", xmx);
        System.out.printf(Locale.ROOT, "dump %s: %.2f GiB; analysis JVMs run with -Xmx%s (NetBeans -Xmx%s) %s; %d runs each (shared 2-core machine)%n",
                dump, Files.size(dump) / (double) (1L << 30), xmx, nbXmx, System.getProperty("jvmargs", ""), runs);
        String nb = System.getProperty("netbeans");
        List<String> modes = new ArrayList<>(List.of("histogram", "full"));
        if (nb != null) {
            modes.add("netbeans");
        }
        double[] best = new double[modes.size()];
        double[] bestCpu = new double[modes.size()];
        long[] hwm = new long[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            best[m] = Double.MAX_VALUE;
            bestCpu[m] = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                String[] res = fork(modes.get(m), dump, modes.get(m).equals("netbeans") ? nbXmx : xmx, nb);
                double secs = Double.parseDouble(res[0]);
                long kb = Long.parseLong(res[1]);
                double cpu = Double.parseDouble(res[2]);
                System.out.printf(Locale.ROOT, "  %-9s run %d: %6.2f s wall, %6.2f s CPU (JVM incl. GC/JIT), peak RSS %6d MiB  %s%n",
                        modes.get(m), r + 1, secs, cpu, kb >> 10, res[3]);
                best[m] = Math.min(best[m], secs);
                bestCpu[m] = Math.min(bestCpu[m], cpu);
                hwm[m] = Math.max(hwm[m], kb);
            }
        }
        long dumpMb = Files.size(dump) >> 20;
        System.out.println("best of runs:");
        for (int m = 0; m < modes.size(); m++) {
            System.out.printf(Locale.ROOT, "  %-9s %6.2f s wall (%5.1f× the bare pass), %6.2f s CPU (%5.1f×), peak RSS %6d MiB (%.2f× the dump)%n",
                    modes.get(m), best[m], best[m] / best[0], bestCpu[m], bestCpu[m] / bestCpu[0], hwm[m] >> 10,
                    (hwm[m] >> 10) / (double) dumpMb);
        }
        if (nb != null) {
            System.out.printf(Locale.ROOT, "  hotpath full analysis vs NetBeans: %.1f× faster wall, %.1f× less CPU%n",
                    best[2] / best[1], bestCpu[2] / bestCpu[1]);
        }
    }

    static long parseSize(String s) {
        s = s.trim().toLowerCase(Locale.ROOT);
        long mult = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : 1;
        return Long.parseLong(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult;
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static void generate(long size, Path dump) throws Exception {
        long xmx = (size * 2 >> 20) + 512;
        Process p = new ProcessBuilder(java().toString(), "-Xmx" + xmx + "m", "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), HeapGen.class.getName(), Long.toString(size))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("READY")) {
                throw new IllegalStateException("generator did not start: " + line);
            }
            Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(p.pid()), "GC.heap_dump", dump.toString()).inheritIO().start();
            if (j.waitFor() != 0) {
                throw new IllegalStateException("jcmd failed");
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String[] fork(String mode, Path dump, String xmx, String nbJar) throws Exception {
        String cp = System.getProperty("java.class.path") + (nbJar == null ? "" : File.pathSeparator + nbJar);
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-Xmx" + xmx));
        String extra = System.getProperty("jvmargs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", cp, HeapBench.class.getName(), mode, dump.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return line.substring(7).split(" ", 4);
            }
        }
        throw new IllegalStateException(mode + " failed (exit " + p.exitValue() + "): " + out);
    }

    static void child(String mode, Path dump) throws Exception {
        long t0 = System.nanoTime();
        String what;
        switch (mode) {
            case "histogram": what = histogram(dump); break;
            case "full": {
                HeapReport r = new HeapEngine().waste(Boolean.getBoolean("waste")).analyze(dump);
                what = r.objects() + " objects, " + r.suspects().size() + " suspects"
                        + (r.suspects().isEmpty() ? "" : ", first: " + r.suspects().get(0).holder());
                break;
            }
            case "netbeans": what = netbeans(dump); break;
            default: throw new IllegalArgumentException(mode);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf(Locale.ROOT, "RESULT %.3f %d %.3f %s%n", secs, vmHwmKb(), cpu, what);
    }

    static long vmHwmKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The baseline: one sequential pass counting instances and bytes per class id, nothing else. */
    static String histogram(Path dump) throws Exception {
        try (FileChannel ch = FileChannel.open(dump, StandardOpenOption.READ)) {
            HprofInput in = new HprofInput(ch, 1 << 20);
            while (in.u1() != 0) {
                // header string
            }
            int idSize = in.i4();
            in.idSize(idSize);
            in.i8();
            LongIntMap classes = new LongIntMap(1 << 14);
            long[] counts = new long[1 << 16];
            long objects = 0;
            while (in.position() < in.size()) {
                int tag = in.u1();
                in.i4();
                long len = in.u4();
                long end = in.position() + len;
                if (tag == 0x0C || tag == 0x1C) {
                    while (in.position() < end) {
                        int sub = in.u1();
                        switch (sub) {
                            case 0xFF: case 0x05: case 0x07: in.skip(idSize); break;
                            case 0x01: in.skip(2L * idSize); break;
                            case 0x02: case 0x03: case 0x08: in.skip(idSize + 8); break;
                            case 0x04: case 0x06: in.skip(idSize + 4); break;
                            case 0x20: {
                                in.id();
                                in.i4();
                                for (int i = 0; i < 6; i++) in.id();
                                in.i4();
                                int cp = in.u2();
                                for (int i = 0; i < cp; i++) { in.u2(); in.value(in.u1()); }
                                int st = in.u2();
                                for (int i = 0; i < st; i++) { in.id(); in.value(in.u1()); }
                                int f = in.u2();
                                for (int i = 0; i < f; i++) { in.id(); in.u1(); }
                                break;
                            }
                            case 0x21: {
                                in.id();
                                in.i4();
                                long cls = in.id();
                                long n = in.u4();
                                in.skip(n);
                                count(classes, counts, cls);
                                objects++;
                                break;
                            }
                            case 0x22: {
                                in.id();
                                in.i4();
                                long n = in.u4();
                                long cls = in.id();
                                in.skip(n * idSize);
                                count(classes, counts, cls);
                                objects++;
                                break;
                            }
                            case 0x23: {
                                in.id();
                                in.i4();
                                long n = in.u4();
                                int t = in.u1();
                                int sz = t == 4 || t == 8 ? 1 : t == 5 || t == 9 ? 2 : t == 6 || t == 10 ? 4 : 8;
                                in.skip(n * sz);
                                count(classes, counts, -t);
                                objects++;
                                break;
                            }
                            default: throw new IllegalStateException("sub-record 0x" + Integer.toHexString(sub));
                        }
                    }
                }
                in.seek(end);
            }
            return objects + " objects, " + classes.size() + " classes";
        }
    }

    private static void count(LongIntMap classes, long[] counts, long cls) {
        int k = classes.get(cls, -1);
        if (k < 0) {
            k = classes.size();
            classes.put(cls, k);
        }
        if (k < counts.length) {
            counts[k]++;
        }
    }

    /** NetBeans' library on a hard link in its own temp dir (it writes <dump>.nbcache/ beside its input). */
    static String netbeans(Path dump) throws Exception {
        Path dir = Files.createTempDirectory("hotpath-nb-");
        Path link = dir.resolve("dump.hprof");
        try {
            Files.createLink(link, dump);
        } catch (Exception e) {
            Files.copy(dump, link);
        }
        Class<?> factory = Class.forName("org.netbeans.lib.profiler.heap.HeapFactory");
        Object heap = factory.getMethod("createHeap", File.class).invoke(null, link.toFile());
        Method biggest = heap.getClass().getMethod("getBiggestObjectsByRetainedSize", int.class);
        biggest.setAccessible(true);
        List<?> top = (List<?>) biggest.invoke(heap, 10);
        return "netbeans top dominators: " + top.size() + " (cache in " + dir + ")";
    }
}
