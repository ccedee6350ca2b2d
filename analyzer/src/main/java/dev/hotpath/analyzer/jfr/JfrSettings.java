package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.read.FieldIndex;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recording's active settings ({@code jdk.ActiveSetting}): which thresholds JFR applied, so findings can say
 * what the recording could not see ("file reads under 20 ms were not recorded"). Later chunks override earlier ones.
 */
final class JfrSettings {
    private final Map<Long, String> thresholdById = new HashMap<>();
    private final Map<Long, Boolean> enabledById = new HashMap<>();
    private final Map<String, String> thresholds = new TreeMap<>();
    private final Map<String, Boolean> enabled = new TreeMap<>();

    /** Positions of jdk.ActiveSetting's fields, per type object: its events reach the handlers' compiled path. */
    private final FieldIndex fields = new FieldIndex("name", "id", "value");

    void accept(JfrEvent e) {
        int[] at = fields.of(e.type());
        String name = e.getString(at[0]);
        if ("threshold".equals(name)) {
            thresholdById.put(e.getLong(at[1]), e.getString(at[2]));
        } else if ("enabled".equals(name)) {
            enabledById.put(e.getLong(at[1]), Boolean.parseBoolean(e.getString(at[2])));
        }
    }

    /** The ids a later part's chunks set, which override this one's as later chunks do. */
    void absorb(JfrSettings later) {
        thresholdById.putAll(later.thresholdById);
        enabledById.putAll(later.enabledById);
    }

    /** Resolves type ids to names from the recording's metadata; a cut file keeps what could be resolved. */
    void resolve(Path file) {
        try (RecordingFile rf = new RecordingFile(file)) {
            for (EventType t : rf.readEventTypes()) {
                String th = thresholdById.get(t.getId());
                if (th != null) {
                    thresholds.put(t.getName(), th);
                }
                Boolean en = enabledById.get(t.getId());
                if (en != null) {
                    enabled.put(t.getName(), en);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // a truncated recording's metadata may be unreadable: findings then say "threshold unknown"
        }
    }

    /**
     * Resolves type ids to names from the metadata that hotpath's chunk reader kept (id → name, each id once);
     * false, resolving nothing, when two ids share a name (chunks of different JVMs concatenated), where the result
     * would depend on the order {@link #resolve(Path)} sees the types in: that one decides then.
     */
    boolean resolve(Map<Long, String> names) {
        if (new java.util.HashSet<>(names.values()).size() != names.size()) {
            return false;
        }
        names.forEach((id, name) -> {
            String th = thresholdById.get(id);
            if (th != null) {
                thresholds.put(name, th);
            }
            Boolean en = enabledById.get(id);
            if (en != null) {
                enabled.put(name, en);
            }
        });
        return true;
    }

    /** Event name → threshold as JFR wrote it ("20 ms", "0 ns"); only events that have a threshold setting. */
    Map<String, String> thresholds() {
        return thresholds;
    }

    /** Whether the event type was enabled, or {@code null} when the recording does not say. */
    Boolean enabled(String eventName) {
        return enabled.get(eventName);
    }
}
