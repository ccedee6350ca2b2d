package dev.hotpath.analyzer.jfr.read;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An event type as one chunk (or one {@code RecordingFile} read) declares it: its name and its fields in declaration
 * order. One object per type per chunk, so handlers may key per-type work (field positions) by identity.
 */
public final class JfrType {
    private final String name;
    private final List<String> fields;
    private final Map<String, Integer> index = new HashMap<>();

    public JfrType(String name, List<String> fields) {
        this.name = name;
        this.fields = List.copyOf(fields);
        for (int i = fields.size() - 1; i >= 0; i--) {
            index.put(fields.get(i), i); // the first field of a name wins, as RecordedObject's lookup
        }
    }

    public String name() {
        return name;
    }

    public List<String> fields() {
        return fields;
    }

    /** The position of the field named {@code field}, -1 when the type has none. */
    public int field(String field) {
        Integer i = index.get(field);
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        return name;
    }
}
