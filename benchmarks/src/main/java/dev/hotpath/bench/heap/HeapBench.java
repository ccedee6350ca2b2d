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
 * Heap engine benchmark, side by side in one run on one dump: a bare streaming pass that builds the class histogram
 * (the floor), hotpath's full analysis (histogram, dominators, retained sizes, suspects; no waste), {@code hotpath
 * heap} itself (the CLI jar the launcher runs, launched as the launcher does — {@code java -Xmx1g -jar hotpath.jar heap
 * DUMP} — so waste, report rendering and JVM start-up included) and NetBeans' profiler library RELEASE250 computing
 * retained sizes — each in a forked JVM, reporting wall time, CPU time, peak RSS (the child's VmHWM, or GNU time's
 * maximum RSS for the CLI) and the bytes it wrote beside the dump. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -o -pl cli,benchmarks -am package -Dmaven.test.skip=true
 * java -Druns=1 -cp benchmarks/target/classes:analyzer/target/classes dev.hotpath.bench.heap.HeapBench
 * </pre>
 *
 * Options: {@code -Dsize=1g} (dump made once by {@link HeapGen} + {@code jcmd GC.heap_dump} into
 * {@code java.io.tmpdir/hotpath-heap-bench/dump-1g.hprof}, reused afterwards; {@code -Ddump=PATH} for another),
 * {@code -Druns=3}, {@code -Dxmx=3g} (hotpath's heap), {@code -Dnbxmx=16g} (NetBeans' heap),
 * {@code -Dnbtimeout=1800} (seconds before NetBeans is killed and reported as not finished),
 * {@code -Dnetbeans=JAR|none} (default: the RELEASE250 jar in ~/.m2), {@code -Dwaste=true} (waste in the full
 * analysis), {@code -Djvmargs="..."} (to every forked JVM alike), {@code -Dcli=none} (skip the CLI),
 * {@code -Dclijar=cli/target/hotpath.jar}, {@code -Dclijvm="-Xmx1g"} (the launcher's default {@code HOTPATH_JAVA_OPTS}).
 * The CLI mode refuses a jar older than the analyzer's or the CLI's classes (a stale build would be measured).
 */
public final class HeapBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            child(args[0], Path.of(args[1]));
            return;
        }
        long size = parseSize(System.getProperty("size", "1g"));
        int runs = Integer.getInteger("runs", 3);
        // the dump lives alone in its directory, so that whatever a tool writes beside it can be measured
        Path dump = Path.of(System.getProperty("dump", Path.of(System.getProperty("java.io.tmpdir"), "hotpath-heap-bench",
                "dump-" + System.getProperty("size", "1g") + ".hprof").toString()));
        if (!Files.isRegularFile(dump)) {
            Files.createDirectories(dump.toAbsolutePath().getParent());
            generate(size, dump);
        }
        String xmx = System.getProperty("xmx", "3g");
        String nbXmx = System.getProperty("nbxmx", "16g");

        String nb = System.getProperty("netbeans", defaultNetBeansJar());
        if ("none".equals(nb) || !Files.isRegularFile(Path.of(nb))) {
            nb = null;
        }
        long nbTimeout = Long.getLong("nbtimeout", 1800);
        System.out.printf(Locale.ROOT, "dump %s: %.2f GiB; hotpath runs with -Xmx%s%s %s; %d runs each%n", dump,
                Files.size(dump) / (double) (1L << 30), xmx, nb == null ? ", NetBeans not run" : ", NetBeans with -Xmx" + nbXmx
                        + " and a " + nbTimeout + " s bound", System.getProperty("jvmargs", ""), runs);
        List<String> modes = new ArrayList<>(List.of("histogram", "full"));
        if (!"none".equals(System.getProperty("cli"))) {
            checkCliJar();
            modes.add("cli");
        }
        if (nb != null) {
            modes.add("netbeans");
        }
        double[] best = new double[modes.size()];
        double[] bestCpu = new double[modes.size()];
        long[] hwm = new long[modes.size()];
        long[] beside = new long[modes.size()];
        boolean[] finished = new boolean[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            best[m] = Double.MAX_VALUE;
            bestCpu[m] = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                boolean isNb = modes.get(m).equals("netbeans");
                Child c = modes.get(m).equals("cli") ? forkCli(dump)
                        : fork(modes.get(m), dump, isNb ? nbXmx : xmx, nb, isNb ? nbTimeout : 0);
                System.out.printf(Locale.ROOT, "  %-9s run %d: %6.2f s wall, %6.2f s CPU (JVM incl. GC/JIT), peak RSS %6d MiB, "
                                + "%d bytes written beside the dump%s  %s%n", modes.get(m), r + 1, c.wall, c.cpu, c.hwmKb >> 10,
                        c.besideBytes, c.finished ? "" : " — DID NOT FINISH within " + nbTimeout + " s, killed", c.what);
                best[m] = Math.min(best[m], c.wall);
                bestCpu[m] = Math.min(bestCpu[m], c.cpu);
                hwm[m] = Math.max(hwm[m], c.hwmKb);
                beside[m] = Math.max(beside[m], c.besideBytes);
                finished[m] = c.finished;
                if (!c.finished) {
                    break; // one bounded attempt is enough to say it did not finish
                }
            }
        }
        long dumpMb = Files.size(dump) >> 20;
        System.out.println("best of runs:");
        for (int m = 0; m < modes.size(); m++) {
            System.out.printf(Locale.ROOT, "  %-9s %s%6.2f s wall (%5.1f× the bare pass), %6.2f s CPU (%5.1f×), peak RSS %6d MiB (%.2f× the dump), "
                            + "%d bytes beside the dump%n", modes.get(m), finished[m] ? "" : "> ", best[m], best[m] / best[0], bestCpu[m],
                    bestCpu[m] / bestCpu[0], hwm[m] >> 10, (hwm[m] >> 10) / (double) dumpMb, beside[m]);
        }
        int full = modes.indexOf("full");
        int cli = modes.indexOf("cli");
        int nbm = modes.indexOf("netbeans");
        if (cli >= 0) {
            System.out.printf(Locale.ROOT, "  hotpath heap (CLI, %s, waste and report included) vs the full analysis (-Xmx%s, no waste): "
                            + "%.2f× the wall, %.2f× the CPU, %.2f× the peak RSS%n", cliJvm(), xmx, best[cli] / best[full],
                    bestCpu[cli] / bestCpu[full], hwm[cli] / (double) hwm[full]);
        }
        if (nbm >= 0) {
            String more = finished[nbm] ? "" : "at least ";
            System.out.printf(Locale.ROOT, "  hotpath full analysis vs NetBeans: %s%.1f× faster wall, %s%.1f× less CPU, %.2f× the peak RSS%n",
                    more, best[nbm] / best[full], more, bestCpu[nbm] / bestCpu[full], hwm[full] / (double) hwm[nbm]);
            if (cli >= 0) {
                System.out.printf(Locale.ROOT, "  hotpath heap (CLI) vs NetBeans: %s%.1f× faster wall, %s%.1f× less CPU, %.2f× the peak RSS%n",
                        more, best[nbm] / best[cli], more, bestCpu[nbm] / bestCpu[cli], hwm[cli] / (double) hwm[nbm]);
            }
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

    static String defaultNetBeansJar() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "netbeans", "modules",
                "org-netbeans-lib-profiler", "RELEASE250", "org-netbeans-lib-profiler-RELEASE250.jar").toString();
    }

    /** What one forked JVM did: wall and CPU seconds, peak RSS, bytes it left beside its input, its summary line. */
    record Child(double wall, double cpu, long hwmKb, long besideBytes, boolean finished, String what) {
    }

    /**
     * Runs one mode in a child JVM. Peak RSS is the child's VmHWM from /proc/PID/status, polled by this process
     * (so a child killed at the time bound still has one) and reported by the child at its end; CPU from
     * /proc/PID/stat likewise. NetBeans gets a hard link to the dump in a fresh directory (it writes
     * {@code dump.hprof.nbcache/} beside its input); hotpath gets the dump itself, and what appears in the dump's
     * directory meanwhile is what it wrote beside it.
     */
    static Child fork(String mode, Path dump, String xmx, String nbJar, long timeoutSeconds) throws Exception {
        String cp = System.getProperty("java.class.path") + (nbJar == null ? "" : File.pathSeparator + nbJar);
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-Xmx" + xmx));
        String extra = System.getProperty("jvmargs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        Path input = dump.toAbsolutePath();
        Path nbDir = null;
        if (mode.equals("netbeans")) {
            nbDir = Files.createTempDirectory("hotpath-nb-");
            input = nbDir.resolve("dump.hprof");
            try {
                Files.createLink(input, dump.toAbsolutePath());
            } catch (Exception e) {
                Files.copy(dump, input);
            }
        }
        Path dir = input.getParent();
        java.util.Map<Path, Long> before = sizes(dir);
        cmd.addAll(List.of("-cp", cp, HeapBench.class.getName(), mode, input.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        reader.start();
        long polledKb = 0;
        double polledCpu = 0;
        long deadline = timeoutSeconds > 0 ? t0 + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
        boolean finished = true;
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            polledKb = Math.max(polledKb, procStatusKb(p.pid(), "VmHWM:"));
            polledCpu = Math.max(polledCpu, procCpuSeconds(p.pid()));
            if (System.nanoTime() > deadline) {
                finished = false;
                p.destroyForcibly();
                p.waitFor();
                break;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        reader.join();
        long besideBytes = 0;
        for (var e : sizes(dir).entrySet()) {
            if (!e.getKey().equals(input)) {
                besideBytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        if (nbDir != null) {
            deleteTree(nbDir);
        }
        if (!finished) {
            return new Child(wall, polledCpu, polledKb, besideBytes, false, "");
        }
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] res = line.substring(7).split(" ", 4);
                return new Child(Double.parseDouble(res[0]), Double.parseDouble(res[2]),
                        Math.max(polledKb, Long.parseLong(res[1])), besideBytes, true, res[3]);
            }
        }
        throw new IllegalStateException(mode + " failed (exit " + p.exitValue() + "): " + out);
    }

    static Path cliJar() {
        return Path.of(System.getProperty("clijar", Path.of("cli", "target", "hotpath.jar").toString())).toAbsolutePath();
    }

    static String cliJvm() {
        return System.getProperty("clijvm", "-Xmx1g").trim();
    }

    /** Refuses a missing jar, or one older than a class file it should contain (a stale build would be measured). */
    static void checkCliJar() throws java.io.IOException {
        Path jar = cliJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B -q -o -pl cli,benchmarks -am package "
                    + "-Dmaven.test.skip=true (or pass -Dcli=none)");
        }
        long built = Files.getLastModifiedTime(jar).toMillis();
        for (String dir : List.of("analyzer/target/classes", "cli/target/classes")) {
            Path d = jar.getParent().getParent().getParent().resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var files = Files.walk(d)) {
                Path newer = files.filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toMillis() > built && f.toString().endsWith(".class");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }).findFirst().orElse(null);
                if (newer != null) {
                    throw new IllegalStateException(jar + " is older than " + newer + ": rebuild it with mvn -B -q -o -pl "
                            + "cli,benchmarks -am package -Dmaven.test.skip=true");
                }
            }
        }
    }

    /**
     * Runs {@code hotpath heap DUMP} as the launcher ({@code ./hotpath}) does: {@code java $HOTPATH_JAVA_OPTS
     * -Dhotpath.home=ROOT -jar hotpath.jar heap DUMP} (default options {@code -Xmx1g}), the report going to a byte
     * counter. Wall time is the parent's, JVM start-up included; CPU (user + system) and peak RSS come from GNU time
     * ({@code /usr/bin/time}, its maximum resident set size is the child's VmHWM) when installed, else from polling
     * /proc (which may miss the last half second).
     */
    static Child forkCli(Path dump) throws Exception {
        Path jar = cliJar();
        Path timeFile = Files.createTempFile("hotpath-heapbench-time", ".txt");
        List<String> cmd = new ArrayList<>();
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        if (gnuTime) {
            cmd.addAll(List.of("/usr/bin/time", "-o", timeFile.toString(), "-f", "%U %S %M"));
        }
        cmd.add(java().toString());
        cmd.addAll(List.of(cliJvm().split("\\s+")));
        String extra = System.getProperty("jvmargs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-Dhotpath.home=" + jar.getParent().getParent().getParent(), "-jar", jar.toString(), "heap",
                dump.toAbsolutePath().toString()));
        Path dir = dump.toAbsolutePath().getParent();
        java.util.Map<Path, Long> before = sizes(dir);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long[] lines = new long[2];
        StringBuilder head = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines[0]++;
                    lines[1] += line.length() + 1;
                    if (head.length() == 0 && line.trim().startsWith("holder:")) {
                        head.append("first suspect's ").append(line.trim());
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child ended
            }
        });
        reader.start();
        long polledKb = 0;
        double polledCpu = 0;
        // with GNU time in between, the JVM is its child: poll the newest descendant's /proc entries
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            long pid = p.descendants().map(ProcessHandle::pid).reduce((x, y) -> y).orElse(p.pid());
            polledKb = Math.max(polledKb, procStatusKb(pid, "VmHWM:"));
            polledCpu = Math.max(polledCpu, procCpuSeconds(pid));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        reader.join();
        long besideBytes = 0;
        for (var e : sizes(dir).entrySet()) {
            if (!e.getKey().equals(dump.toAbsolutePath())) {
                besideBytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        double cpu = polledCpu;
        long hwm = polledKb;
        String measured = gnuTime ? "" : " (CPU and RSS polled)";
        if (gnuTime) {
            String[] t = Files.readString(timeFile).trim().split("\\s+");
            String[] last = t.length >= 3 ? java.util.Arrays.copyOfRange(t, t.length - 3, t.length) : t;
            try {
                cpu = Double.parseDouble(last[0]) + Double.parseDouble(last[1]);
                hwm = Math.max(polledKb, Long.parseLong(last[2]));
            } catch (RuntimeException e) {
                measured = " (GNU time said: " + String.join(" ", t) + "; CPU and RSS polled)";
            }
        }
        Files.deleteIfExists(timeFile);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("hotpath heap exited " + p.exitValue() + " (its errors are above)");
        }
        return new Child(wall, cpu, hwm, besideBytes, true, "hotpath heap: exit 0, " + lines[0] + " lines ("
                + lines[1] + " bytes) of report" + (head.length() == 0 ? "" : ", " + head) + measured);
    }

    /** Every regular file under dir (recursively) with its size. */
    static java.util.Map<Path, Long> sizes(Path dir) throws java.io.IOException {
        java.util.Map<Path, Long> m = new java.util.HashMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    try {
                        m.put(f, Files.size(f));
                    } catch (java.io.IOException ignored) {
                        // deleted meanwhile
                    }
                }
            }
        }
        return m;
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        }
    }

    static long procStatusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // the process has just exited
        }
        return 0;
    }

    /** utime + stime of a live process, in seconds (clock ticks of 1/100 s, as on Linux x86-64). */
    static double procCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception ignored) {
            return 0;
        }
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

    /** NetBeans' library computing retained sizes (the parent gave it a hard link in a directory of its own). */
    static String netbeans(Path dump) throws Exception {
        Class<?> factory = Class.forName("org.netbeans.lib.profiler.heap.HeapFactory");
        Object heap = factory.getMethod("createHeap", File.class).invoke(null, dump.toFile());
        Method biggest = heap.getClass().getMethod("getBiggestObjectsByRetainedSize", int.class);
        biggest.setAccessible(true);
        List<?> top = (List<?>) biggest.invoke(heap, 10);
        return "netbeans top dominators: " + top.size();
    }
}
