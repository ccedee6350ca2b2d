package dev.hotpath.analyzer.heap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real JVM running one of the leak fixtures ({@code apps}), dumped with {@code jcmd GC.heap_dump}. */
public final class JvmFixture implements AutoCloseable {
    /** The JDK 25 installed on this machine (the default JDK is 17). */
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private final Process process;
    private final Path javaHome;
    private final BufferedReader out;
    private final Writer in;

    private JvmFixture(Process process, Path javaHome) {
        this.process = process;
        this.javaHome = javaHome;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static Path bin(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool);
    }

    public static JvmFixture start(Class<?> main, String... args) throws IOException {
        return startOn(Path.of(System.getProperty("java.home")), main, args);
    }

    /** Runs the fixture on the JDK at {@code javaHome} (and dumps it with that JDK's jcmd). */
    public static JvmFixture startOn(Path javaHome, Class<?> main, String... args) throws IOException {
        return startWith(javaHome, List.of("-Xmx64m", "-XX:+UseSerialGC"), main, args);
    }

    /** Runs the fixture on the JDK at {@code javaHome} with these JVM options (heap size and collector included). */
    public static JvmFixture startWith(Path javaHome, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        String classes = Path.of(JvmFixture.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classes, main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JvmFixture f = new JvmFixture(p, javaHome);
        f.awaitReady();
        return f;
    }

    private void awaitReady() throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals("READY")) {
                return;
            }
        }
        throw new IOException("fixture exited before READY (exit " + waitExit() + ")");
    }

    private int waitExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void grow() throws IOException {
        in.write("grow\n");
        in.flush();
        awaitReady();
    }

    /** {@code jcmd GC.class_histogram}: the JVM's own instance and byte counts, by class name as the JVM spells it. */
    public String classHistogram() throws IOException, InterruptedException {
        Process j = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IOException("jcmd GC.class_histogram failed: " + text);
        }
        return text;
    }

    /** Starts a JFR recording and dumps it at once ({@code jcmd JFR.start}, then {@code JFR.dump}). */
    public Path jfrDump(Path file) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=fixture");
        jcmd("JFR.dump", "name=fixture", "filename=" + file);
        return file;
    }

    private void jcmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(process.pid())));
        cmd.addAll(List.of(args));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + text);
        }
    }

    public Path dump(Path file, boolean gzip) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(process.pid()), "GC.heap_dump"));
        if (gzip) {
            cmd.add("-gz=1");
        }
        cmd.add(file.toString());
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0 || !Files.isRegularFile(file)) {
            throw new IOException("jcmd failed: " + text);
        }
        return file;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
