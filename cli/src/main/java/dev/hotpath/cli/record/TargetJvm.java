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
 * Diagnostic commands (what {@code jcmd} runs) sent to the recorded JVM, in-process: a {@code jcmd} process per NMT
 * sample would cost a JVM start-up (~0.4 CPU-seconds here) every few seconds, more than the whole budget record has
 * (bench.record). In order of preference: the attach protocol's jcmd request (when {@code sun.tools.attach} is
 * exported to us); the target's local JMX agent and the {@code DiagnosticCommand} MBean (starting that agent costs
 * the target seconds of CPU and a few threads, which is why it is second); after {@link #MAX_ATTACH_FAILURES} failed
 * attaches (attach disabled, another user), the target JDK's {@code jcmd} process. A JVM still starting up refuses
 * attach for a while; until then calls fail with "the JVM does not accept attach yet" and callers retry.
 *
 * <p>{@code -Dhotpath.record.attach=jmx|jcmd} forces one path for diagnostic commands ({@code auto} otherwise):
 * bench.record measures what each costs.
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class TargetJvm implements AutoCloseable {
    private static final String DCMD = "com.sun.management:type=DiagnosticCommand";

    private final long pid;
    private final Path jcmd;
    private JMXConnector connector;
    private MBeanServerConnection mbeans;
    private VirtualMachine vm;
    private java.lang.reflect.Method executeJCmd;
    private boolean attachFailed;
    private int attachFailures;
    private long nextAttachMillis;
    private String attachError = "";
    /** Attach attempts before falling back to jcmd processes: a JVM still starting up refuses attach for a while. */
    static final int MAX_ATTACH_FAILURES = 8;
    private static final String MODE = System.getProperty("hotpath.record.attach", "auto");

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
        if (MODE.equals("jcmd")) {
            return runJcmd(command, args);
        }
        if (connectRaw()) {
            return rawJcmd(command + (args.length == 0 ? "" : " " + String.join(" ", args)));
        }
        if (!attachFailed && mbeans == null && attachFailures > 0) {
            throw new IOException("the JVM does not accept attach yet (" + attachError + ")");
        }
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
        if (MODE.equals("jcmd")) {
            runJcmd("GC.heap_dump", file.toString());
            return;
        }
        if (connectRaw()) {
            rawJcmd("GC.heap_dump " + file);
            return;
        }
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

    /**
     * Loads a JVMTI agent library into the target ({@code Agent_OnAttach} with {@code options}) over the attach API.
     * Not {@code jcmd JVMTI.agent_load}: its argument parser takes the {@code key=value} pairs of async-profiler's
     * options for its own and loses {@code file=} (measured here, DESIGN.md).
     *
     * @throws IOException naming the library when attach is impossible or the agent's start-up reports an error
     */
    public synchronized void loadAgentPath(Path library, String options) throws IOException {
        attachForLoad().loadAgentPathChecked(library.toString(), options);
    }

    /** Loads a Java agent jar ({@code agentmain}) into the target over the attach API. */
    public synchronized void loadAgent(Path jar, String options) throws IOException {
        attachForLoad().loadAgentChecked(jar.toString(), options);
    }

    private Loader attachForLoad() throws IOException {
        if (vm == null) {
            try {
                vm = VirtualMachine.attach(Long.toString(pid));
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException("cannot attach to " + pid + ": " + e.getMessage(), e);
            }
        }
        return new Loader(vm);
    }

    /** The attach API's checked agent errors as IOExceptions with one readable message. */
    private record Loader(VirtualMachine vm) {
        void loadAgentPathChecked(String lib, String options) throws IOException {
            try {
                vm.loadAgentPath(lib, options);
            } catch (com.sun.tools.attach.AgentLoadException | com.sun.tools.attach.AgentInitializationException e) {
                throw new IOException("loading " + lib + " failed: " + e.getMessage(), e);
            }
        }

        void loadAgentChecked(String jar, String options) throws IOException {
            try {
                vm.loadAgent(jar, options);
            } catch (com.sun.tools.attach.AgentLoadException | com.sun.tools.attach.AgentInitializationException e) {
                throw new IOException("loading " + jar + " failed: " + e.getMessage(), e);
            }
        }
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

    /**
     * The cheapest path: the attach protocol's own "jcmd" request ({@code HotSpotVirtualMachine.executeJCmd}), which
     * needs {@code --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED} (the hotpath jar's manifest has it). It
     * starts nothing in the target, unlike the JMX agent.
     */
    private boolean connectRaw() {
        if (executeJCmd != null) {
            return true;
        }
        if (MODE.equals("jmx") || attachFailed || System.currentTimeMillis() < nextAttachMillis) {
            return false;
        }
        try {
            if (vm == null) {
                vm = VirtualMachine.attach(Long.toString(pid));
            }
            java.lang.reflect.Method m = Class.forName("sun.tools.attach.HotSpotVirtualMachine")
                    .getMethod("executeJCmd", String.class);
            if (!m.canAccess(vm)) {
                return false;
            }
            executeJCmd = m;
            return true;
        } catch (IOException | com.sun.tools.attach.AttachNotSupportedException e) {
            return attachAttemptFailed(e);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // not exported to us: use JMX
        }
    }

    private String rawJcmd(String line) throws IOException {
        try (java.io.InputStream in = (java.io.InputStream) executeJCmd.invoke(vm, line)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IOException("process " + pid + " has exited");
            }
            throw new IOException(line + " failed: " + c, c);
        } catch (IllegalAccessException e) {
            throw new IOException(line + ": " + e.getMessage(), e);
        }
    }

    private boolean connect() {
        if (mbeans != null) {
            return true;
        }
        if (attachFailed || System.currentTimeMillis() < nextAttachMillis) {
            return false;
        }
        try {
            if (vm == null) {
                vm = VirtualMachine.attach(Long.toString(pid));
            }
            String address = vm.startLocalManagementAgent();
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            mbeans = connector.getMBeanServerConnection();
            return true;
        } catch (Exception | LinkageError e) {
            return attachAttemptFailed(e);
        }
    }

    /** Retry in a second; after MAX_ATTACH_FAILURES attempts give in-process attach up. Always false. */
    private boolean attachAttemptFailed(Throwable e) {
        attachFailures++;
        attachError = String.valueOf(e.getMessage());
        nextAttachMillis = System.currentTimeMillis() + 1000;
        if (attachFailures >= MAX_ATTACH_FAILURES) {
            attachFailed = true;
        }
        return false;
    }

    /** Why in-process attach was not used, or "" when it was. */
    public String attachError() {
        return attachFailed ? attachError : "";
    }

    private String viaJcmd(String command, String... args) throws IOException {
        if (!attachFailed) {
            throw new IOException("the JVM does not accept attach yet (" + attachError + ")");
        }
        if (jcmd == null || !Files.isExecutable(jcmd)) {
            throw new IOException("cannot attach to " + pid + " (" + attachError + ") and no jcmd to fall back on");
        }
        return runJcmd(command, args);
    }

    /** The target JDK's jcmd as a process: a JVM start-up per call. */
    private String runJcmd(String command, String... args) throws IOException {
        if (jcmd == null) {
            throw new IOException("no jcmd for JVM " + pid);
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
        if (vm != null) {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target is gone
            }
            vm = null;
        }
        executeJCmd = null;
    }
}
