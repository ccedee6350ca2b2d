package dev.hotpath.analyzer.rules.io;

/** {@code io.jfr-socket}: slow socket reads/writes recorded by JFR ({@code jdk.SocketRead}/{@code jdk.SocketWrite}). */
public final class JfrSocketIoRule extends JfrIoRule {
    public JfrSocketIoRule() {
        super("io.jfr-socket", "socket");
    }

    @Override
    public String description() {
        return "Slow socket operations recorded by JFR, by host (states the recording's threshold)";
    }

    @Override
    String advice(JfrIoSummary.Target t) {
        return "A socket " + t.op() + " waits for the peer " + t.target() + ": set timeouts, use a connection pool "
                + "with a bound, and look at the peer's latency; a blocking read in " + t.frame()
                + " holds its thread for the whole wait.";
    }
}
