package dev.hotpath.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} (premain) and dynamic attach (agentmain). Only hands off to
 * {@link AgentInstaller}; whatever goes wrong is reported in one line and the host keeps running.
 */
public final class HotpathAgent {
    private HotpathAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            AgentInstaller.install(args, inst, attached);
        } catch (Throwable t) {
            try {
                System.err.println("hotpath-agent: not started: " + t);
            } catch (Throwable ignored) {
                // the host must not be harmed by our reporting either
            }
        }
    }
}
