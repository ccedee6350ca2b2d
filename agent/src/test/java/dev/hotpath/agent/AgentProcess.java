package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real JVM running {@code com.acme.iotest.KnownIo}, and helpers to read what the agent made of it. */
final class AgentProcess implements AutoCloseable {
    static final Path AGENT_JAR = Paths.get(System.getProperty("hotpath.agent.jar", "target/hotpath-agent.jar"));
    static final Path TEST_CLASSES = Paths.get(System.getProperty("hotpath.test.classes", "target/test-classes"));
    static final Path TEST_SOURCES = Paths.get(System.getProperty("hotpath.test.sources", "src/test/java"));
    static final String JDK17 = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    static final ObjectMapper JSON = new ObjectMapper();

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    final Map<String, String> values = new HashMap<>();
    /**
     * Bytes the Java code wrote to stdout (every line read, with its newline), except the JVM's unified-logging lines
     * ({@code [0.312s][info][jfr,startup] ...}), which it writes natively; guarded by {@link #values}.
     */
    private long stdoutBytes;
    private final Thread out;
    private final Thread err;

    private AgentProcess(Process process) {
        this.process = process;
        out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), true));
        err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), false));
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    static AgentProcess start(String java, List<String> jvmArgs, String... args) throws IOException {
        return startMain(java, jvmArgs, "com.acme.iotest.KnownIo", args);
    }

    /** A JVM running {@code mainClass} from the test classes. */
    static AgentProcess startMain(String java, List<String> jvmArgs, String mainClass, String... args)
            throws IOException {
        return startWithClassPath(java, jvmArgs, TEST_CLASSES.toString(), mainClass, args);
    }

    static AgentProcess startWithClassPath(String java, List<String> jvmArgs, String classPath, String mainClass,
                                           String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx128m");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new AgentProcess(new ProcessBuilder(cmd).start());
    }

    static String agentArg(String options) {
        return "-javaagent:" + AGENT_JAR.toAbsolutePath() + (options.isEmpty() ? "" : "=" + options);
    }

    private void pump(BufferedReader r, boolean out) {
        try {
            String line;
            while ((line = r.readLine()) != null) {
                if (out) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        synchronized (values) {
                            values.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                    if (!line.matches("\\[\\d+\\.\\d+s]\\[.*")) {
                        synchronized (values) {
                            stdoutBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
                        }
                    }
                    lines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Waits for a stdout line equal to {@code expected}. */
    void awaitLine(String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (expected.equals(line)) {
                return;
            }
            if (line == null && !process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no line '" + expected + "' from the JVM; stderr:\n" + stderr());
    }

    String value(String key) {
        synchronized (values) {
            return values.get(key);
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    int waitFor() throws Exception {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            throw new AssertionError("JVM did not exit; stderr:\n" + stderr());
        }
        out.join(10_000); // the last lines (a shutdown hook's) may still be in the pipes
        err.join(10_000);
        return process.exitValue();
    }

    /** The bytes Java code wrote to stdout, read so far (after {@link #waitFor}: all it wrote). */
    long stdoutBytes() {
        synchronized (values) {
            return stdoutBytes;
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    // ------------------------------------------------------------------ reading what the agent wrote

    /** Line numbers of the {@code // SITE:name} markers in KnownIo.java. */
    static Map<String, Integer> siteLines() throws IOException {
        return siteLines("KnownIo.java");
    }

    /** Line numbers of the {@code // SITE:name} markers in {@code com/acme/iotest/<file>}. */
    static Map<String, Integer> siteLines(String file) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        List<String> src = Files.readAllLines(TEST_SOURCES.resolve("com/acme/iotest/" + file));
        Pattern p = Pattern.compile("// SITE:(\\w+)");
        for (int i = 0; i < src.size(); i++) {
            Matcher m = p.matcher(src.get(i));
            if (m.find()) {
                lines.put(m.group(1), i + 1);
            }
        }
        return lines;
    }

    /** Loads the agent jar into this running JVM with {@code options} (dynamic attach), then detaches. */
    void attach(String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
        try {
            vm.loadAgent(AGENT_JAR.toAbsolutePath().toString(), options);
        } finally {
            vm.detach();
        }
    }

    static JsonNode read(Path snapshot) throws IOException {
        return JSON.readTree(snapshot.toFile());
    }

    /** The call sites of the snapshot whose site ends with {@code (KnownIo.java:line)}. */
    static List<JsonNode> at(JsonNode snapshot, int line) {
        return at(snapshot, "KnownIo.java", line);
    }

    /** The call sites of the snapshot whose site ends with {@code (file:line)}. */
    static List<JsonNode> at(JsonNode snapshot, String file, int line) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode cs : snapshot.get("callSites")) {
            if (cs.get("site").asText().endsWith("(" + file + ":" + line + ")")) {
                out.add(cs);
            }
        }
        return out;
    }
}
