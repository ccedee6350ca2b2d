package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.IoEventSink;
import dev.hotpath.agent.bootstrap.Ops;

/** Emits {@link JfrIoEvent}s for the recorder's slow operations; does nothing while no recording is on. */
public final class JfrSink implements IoEventSink {
    @Override
    public void emit(int kind, int op, String site, String target, long nanos, long bytes, boolean error) {
        JfrIoEvent e = new JfrIoEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.kind = Ops.kindName(kind);
        e.op = Ops.opName(op);
        e.site = site;
        e.target = target;
        e.bytes = bytes;
        e.latency = nanos;
        e.error = error;
        e.commit();
    }
}
