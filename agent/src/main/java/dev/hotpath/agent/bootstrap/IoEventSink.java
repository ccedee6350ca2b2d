package dev.hotpath.agent.bootstrap;

/**
 * Receives operations slower than the configured threshold (the JFR exporter). Implemented outside the bootstrap
 * class path; called on the I/O thread, so implementations must be cheap and must not do traced I/O themselves.
 */
public interface IoEventSink {
    void emit(int kind, int op, String site, String target, long nanos, long bytes, boolean error);
}
