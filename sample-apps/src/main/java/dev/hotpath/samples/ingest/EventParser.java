package dev.hotpath.samples.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a batch (newline-delimited events {@code KEY SP PAYLOAD}) and hands each line to the partition map. One
 * parser per router thread (not thread-safe). The normal path scans bytes and allocates only the routing key.
 *
 * <p>Planted fault {@code gc-pressure}: every event is decoded into a String, split into fields, its
 * {@code name=value} pairs boxed into a HashMap, and the parsed event is kept in a dedup window of the most recent
 * {@value #DEDUP_WINDOW} events — a large live set that turns over constantly, on top of the short-lived garbage.
 */
final class EventParser {
    static final int DEDUP_WINDOW = 50_000; // per router thread: ~30 MB live at full size

    record ParsedEvent(String key, Map<String, Object> attributes, long receivedNanos) {
    }

    private final boolean gcPressure;
    private final IngestMetrics metrics;
    private final LinkedHashMap<String, ParsedEvent> dedupWindow = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedEvent> eldest) {
            return size() > DEDUP_WINDOW;
        }
    };

    EventParser(boolean gcPressure, IngestMetrics metrics) {
        this.gcPressure = gcPressure;
        this.metrics = metrics;
    }

    int dedupWindowSize() {
        return dedupWindow.size();
    }

    /** Returns the number of events appended. */
    int parse(byte[] batch, PartitionMap partitions) throws InterruptedException {
        int events = 0;
        int start = 0;
        for (int i = 0; i <= batch.length; i++) {
            if (i == batch.length || batch[i] == '\n') {
                int end = i > start && batch[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    String key = gcPressure ? parseVerbosely(batch, start, end) : key(batch, start, end);
                    partitions.append(key, batch, start, end - start);
                    events++;
                }
                start = i + 1;
            }
        }
        return events;
    }

    private static String key(byte[] b, int start, int end) {
        int sp = start;
        while (sp < end && b[sp] != ' ' && b[sp] != '\t') {
            sp++;
        }
        return new String(b, start, sp - start, StandardCharsets.UTF_8);
    }

    private String parseVerbosely(byte[] b, int start, int end) {
        String line = new String(b, start, end - start, StandardCharsets.UTF_8);
        String[] fields = line.split("[ \t]+");
        Map<String, Object> attrs = new HashMap<>();
        for (int i = 1; i < fields.length; i++) {
            String[] kv = fields[i].split("=", 2);
            Object value = kv.length < 2 ? Boolean.TRUE : parseValue(kv[1]);
            attrs.put(kv[0], value);
        }
        ParsedEvent e = new ParsedEvent(fields[0], attrs, System.nanoTime());
        dedupWindow.put(fields[0] + "@" + attrs.getOrDefault("seq", e.receivedNanos()), e);
        metrics.shortLivedObjects.add(4L + 3L * fields.length);
        return e.key();
    }

    private static Object parseValue(String v) {
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException notLong) {
            return v;
        }
    }
}
