package dev.hotpath.analyzer.jfr;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Which JVM wrote a recording: {@code jdk.JVMInformation}'s pid and JVM start time. The event is periodic with period
 * {@code beginChunk} in the JDK's default and profile settings, so every chunk carries it among its first events;
 * a pid alone repeats across hosts and restarts, the pair does not in practice.
 *
 * @param pid          the process id
 * @param jvmStartMs   when the JVM started, epoch ms
 */
record JvmIdentity(long pid, long jvmStartMs) {
    /** Events read before giving up: the beginChunk events come first in a chunk, well within this. */
    private static final int PROBE_EVENTS = 20_000;

    String key() {
        return "pid " + pid + ", started " + Instant.ofEpochMilli(jvmStartMs);
    }

    /** The identity from the file's first chunk, or {@code null} when it has no {@code jdk.JVMInformation}. */
    static JvmIdentity probe(Path file) throws IOException {
        try (RecordingFile rf = new RecordingFile(file)) {
            for (int i = 0; i < PROBE_EVENTS && rf.hasMoreEvents(); i++) {
                RecordedEvent e = rf.readEvent();
                if (e.getEventType().getName().equals("jdk.JVMInformation") && e.hasField("pid")
                        && e.hasField("jvmStartTime")) {
                    return new JvmIdentity(e.getLong("pid"), e.getInstant("jvmStartTime").toEpochMilli());
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // read alone: ingest says what is wrong with the file
        }
        return null;
    }
}
