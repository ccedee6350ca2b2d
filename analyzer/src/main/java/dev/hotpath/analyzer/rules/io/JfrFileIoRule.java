package dev.hotpath.analyzer.rules.io;

/** {@code io.jfr-file}: slow file reads/writes recorded by JFR ({@code jdk.FileRead}/{@code jdk.FileWrite}). */
public final class JfrFileIoRule extends JfrIoRule {
    public JfrFileIoRule() {
        super("io.jfr-file", "file");
    }

    @Override
    public String description() {
        return "Slow file operations recorded by JFR, by path (states the recording's threshold)";
    }

    @Override
    String advice(JfrIoSummary.Target t) {
        return "Move " + t.op() + "s of " + t.target() + " off latency-critical threads in " + t.frame()
                + ", batch small operations through a buffer, and check the device (iostat) for queueing; run "
                + "hotpath's agent to see the operations below JFR's threshold.";
    }
}
