package dev.hotpath.cli.record;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Diagnostic commands (what {@code jcmd} runs) sent to the recorded JVM. The first choice is in-process: the Attach
 * API starts the target's local JMX agent once and every later command is an MBean call on
 * {@code com.sun.management:type=DiagnosticCommand} — a {@code jcmd} process per NMT sample would cost a JVM start-up
 * (~0.4 CPU-seconds here) every few seconds, more than the whole budget record has (bench.record). If attaching fails
 * (attach disabled, another user), each command falls back to running the target JDK's {@code jcmd}.
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class TargetJvm implements AutoCloseable {
    private static final String DCMD = "com.sun.management:type=DiagnosticCommand";

    private final long pid;
    private final Path jcmd;
    private JMXConnector connector;
    private MBeanServerConnection mbeans;
    private boolean attachFailed;
    private String attachError = "";

    /** @param jcmd the target JDK's jcmd for the fallback, or {@code null} */
    public TargetJvm(long pid, Path jcmd) {
        this.pid = pid;
        this.jcmd = jcmd;
    }

    public long pid() {
        return pid;
    }

    /**
     * Waits until the JVM can answer an attach request without risk. HotSpot handles the attach handshake (SIGQUIT)
     * in its "Signal Dispatcher" thread; sending the signal before that thread exists would kill the process, so
     * this waits for a task named {@code Signal Dispatch} (15-character comm) in {@code /proc/PID/task}.
     *
     * @return false if the process ended or the timeout passed first
     */
    public static boolean awaitAttachable(long pid, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        while (System.currentTimeMillis() < deadline) {
            if (!Files.isDirectory(tasks)) {
                return false;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
                for (Path t : ds) {
                    try {
                        if (Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).trim().equals("Signal Dispatch")) {
                            return true;
                        }
                    } catch (IOException ignored) {
                        // the task ended while we looked
                    }
                }
            } catch (IOException ignored) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Runs a diagnostic command, e.g. {@code ("VM.native_memory", "summary")}; returns its text output. */
    public synchronized String execute(String command, String... args) throws IOException {
        if (connect()) {
            try {
                String op = operationName(command);
                Object out = mbeans.invoke(new ObjectName(DCMD), op, new Object[]{args},
                        new String[]{String[].class.getName()});
                return out == null ? "" : out.toString();
            } catch (Exception e) {
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IOException("process " + pid + " has exited");
                }
                throw new IOException(command + " failed: " + e.getMessage(), e);
            }
        }
        return viaJcmd(command, args);
    }

    /**
     * Dumps the heap (live objects only, like {@code jcmd GC.heap_dump}). {@code GC.heap_dump} is not among the
     * DiagnosticCommand MBean's operations, so the in-process path uses HotSpotDiagnosticMXBean.dumpHeap.
     */
    public synchronized void heapDump(java.nio.file.Path file) throws IOException {
        if (connect()) {
            try {
                mbeans.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                        new Object[]{file.toString(), Boolean.TRUE}, new String[]{String.class.getName(), "boolean"});
                return;
            } catch (Exception e) {
                throw new IOException("heap dump to " + file + " failed: " + e, e);
            }
        }
        viaJcmd("GC.heap_dump", file.toString());
    }

    /** {@code VM.native_memory} → {@code vmNativeMemory}, {@code GC.heap_dump} → {@code gcHeapDump} (the MBean's naming). */
    static String operationName(String command) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '.' || c == '_') {
                upper = true;
            } else if (sb.length() == 0) {
                sb.append(Character.toLowerCase(c));
            } else if (upper) {
                sb.append(Character.toUpperCase(c));
                upper = false;
            } else {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    private boolean connect() {
        if (mbeans != null) {
            return true;
        }
        if (attachFailed) {
            return false;
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                String address = vm.startLocalManagementAgent();
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
                mbeans = connector.getMBeanServerConnection();
                return true;
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            attachFailed = true;
            attachError = String.valueOf(e.getMessage());
            return false;
        }
    }

    /** Why in-process attach was not used, or "" when it was. */
    public String attachError() {
        return attachError;
    }

    private String viaJcmd(String command, String... args) throws IOException {
        if (jcmd == null || !Files.isExecutable(jcmd)) {
            throw new IOException("cannot attach to " + pid + " (" + attachError + ") and no jcmd to fall back on");
        }
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid), command));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + command + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the target is gone; the connection dies with it
            }
            connector = null;
            mbeans = null;
        }
    }
}
