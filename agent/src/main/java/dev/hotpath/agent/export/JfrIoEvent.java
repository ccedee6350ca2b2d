package dev.hotpath.agent.export;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code hotpath.Io}: one I/O operation at least as slow as the agent's {@code jfrThreshold}. The event is committed
 * after the operation, so its own duration is ~0; the operation's duration is the {@code latency} field.
 */
@Name("hotpath.Io")
@Label("hotpath I/O")
@Category({"hotpath", "I/O"})
@Description("A file or socket operation recorded by the hotpath agent")
@StackTrace(false)
public class JfrIoEvent extends jdk.jfr.Event {
    @Label("Kind")
    String kind;
    @Label("Operation")
    String op;
    @Label("Call Site")
    String site;
    @Label("Target")
    String target;
    @Label("Bytes")
    @DataAmount
    long bytes;
    @Label("Latency")
    @Timespan(Timespan.NANOSECONDS)
    long latency;
    @Label("Error")
    boolean error;
}
