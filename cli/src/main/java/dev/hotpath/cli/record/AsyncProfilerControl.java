package dev.hotpath.cli.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * async-profiler's commands for a JVM record did not start with {@code -agentpath}: its options string for
 * {@code start}, and {@code stop}, both sent as {@code Agent_OnAttach} of the bundled library over the attach API.
 * Loading the library path a second time reaches the same loaded instance (dlopen of an already-loaded path), so
 * {@code stop} also ends a profiler started with {@code -agentpath} and finishes its JFR file.
 */
final class AsyncProfilerControl {
    private AsyncProfilerControl() {
    }

    /** {@code start,event=cpu,alloc,...,jfr,file=F}: the same events and output as the launch path's -agentpath. */
    static String startOptions(Set<String> events, Path file) {
        StringBuilder a = new StringBuilder("start");
        if (events.contains("cpu")) {
            a.append(",event=cpu");
        }
        for (String e : List.of("alloc", "lock", "wall", "nativemem")) {
            if (events.contains(e)) {
                a.append(',').append(e);
            }
        }
        return a.append(",jfr,file=").append(file).toString();
    }

    /** Stops profiling; the JFR file given at start is complete when this returns. Failures become a note. */
    static void stop(TargetJvm target, Path lib, List<String> notes) {
        try {
            target.loadAgentPath(lib, "stop");
        } catch (IOException e) {
            notes.add("async-profiler could not be stopped before the JVM was (" + e.getMessage()
                    + "); its file is complete only if the JVM exited normally");
        }
    }
}
