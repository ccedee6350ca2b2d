package dev.hotpath.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hotpath attach <pid> [options]}: loads the agent into a running JVM through the Attach API. The agent
 * retransforms the already-loaded I/O classes, so recording starts at once. Options are the agent's
 * ({@code snapshot=PATH interval=10s port=N jfr=true jfrThreshold=1ms maxSites=N include=... exclude=... sample=N
 * timing=N tags=true|false}; README's agent section says what each does), given as separate words or
 * comma-separated. Call-site tags cover only classes loaded after the attach; sites in classes loaded before it are
 * found by stack walks, which the counts do not depend on.
 *
 * <p>JDK 21+ warns when an agent is loaded dynamically and refuses when started with
 * {@code -XX:-EnableDynamicAgentLoading}; a refusal is explained in one line with the two ways out.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Load the hotpath agent into a running JVM.")
public final class AttachCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "process id of the target JVM")
    long pid;

    @Parameters(index = "1..*", paramLabel = "OPTION", description = "agent options, key=value")
    List<String> options = List.of();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path jar = AgentJar.locate();
        String opts = String.join(",", options);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            err.println("hotpath attach: cannot attach to pid " + pid + ": " + e.getMessage()
                    + " (is it a running JVM of the same user?)");
            return FAILED;
        }
        String version = "?";
        try {
            version = vm.getSystemProperties().getProperty("java.specification.version", "?");
            vm.loadAgent(jar.toString(), opts.isEmpty() ? null : opts);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            err.println(refusal(pid, version, e));
            return FAILED;
        } finally {
            vm.detach();
        }
        out.println("hotpath agent loaded into pid " + pid + " (Java " + version + ")"
                + (opts.isEmpty() ? "" : " with " + opts));
        if (feature(version) >= 21) {
            out.println("note: Java " + version + " prints a warning about the dynamically loaded agent;"
                    + " start it with -XX:+EnableDynamicAgentLoading (or -javaagent) to silence it");
        }
        out.flush();
        return OK;
    }

    static String refusal(long pid, String version, Exception e) {
        String msg = "hotpath attach: pid " + pid + " (Java " + version + ") did not load the agent: " + e;
        if (feature(version) >= 21) {
            msg += ". Java 21+ refuses dynamically loaded agents when run with -XX:-EnableDynamicAgentLoading:"
                    + " restart it with -XX:+EnableDynamicAgentLoading, or with -javaagent:<hotpath agent-path>";
        }
        return msg;
    }

    private static int feature(String version) {
        try {
            int dot = version.indexOf('.');
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
