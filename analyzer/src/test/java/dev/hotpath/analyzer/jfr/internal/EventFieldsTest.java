package dev.hotpath.analyzer.jfr.internal;

import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.jfr.apps.ChunkedFaultyApp;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads by position give what the consumer API's by-name getters give, for every event of a real recording (file
 * I/O, allocation samples, locks, threads): the same String, long, int, class and stack trace objects.
 */
class EventFieldsTest {
    private static final String[] NAMES = {"path", "bytesRead", "bytesWritten", "weight", "tlabSize",
        "allocationSize", "objectClass", "monitorClass", "parkedClass", "activeCount", "hwThreads", "port", "name"};

    @TempDir
    Path dir;

    @Test
    void everyFieldReadByPositionEqualsTheByNameRead() throws Exception {
        Path jfr = dir.resolve("faulty.jfr");
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx256m", "-XX:StartFlightRecording=filename=" + jfr
                + ",settings=profile,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms"),
                ChunkedFaultyApp.class, "1500", "400");
        assertThat(FieldValues.available()).isTrue(); // JDK 17: through Unsafe, the module not being opened
        EventFields fields = new EventFields(NAMES);
        java.util.Map<String, Long> compared = new java.util.TreeMap<>();
        long stacks = 0;
        try (RecordingFile rf = new RecordingFile(jfr)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                fields.load(e);
                assertThat(fields.getStackTrace()).isSameAs(e.getStackTrace());
                stacks += e.getStackTrace() == null ? 0 : 1;
                for (int f = 0; f < NAMES.length; f++) {
                    if (!e.hasField(NAMES[f])) {
                        continue;
                    }
                    String type = type(e, NAMES[f]);
                    switch (type) {
                        case "long" -> assertThat(fields.getLong(f)).isEqualTo(e.getLong(NAMES[f]));
                        case "int" -> assertThat(fields.getInt(f)).isEqualTo(e.getInt(NAMES[f]));
                        case "java.lang.String" -> assertThat(fields.getString(f)).isSameAs(e.getString(NAMES[f]));
                        case "java.lang.Class" -> assertThat(fields.getClass(f)).isSameAs(e.getClass(NAMES[f]));
                        default -> {
                            continue;
                        }
                    }
                    compared.merge(type, 1L, Long::sum);
                }
            }
        }
        // every kind of value the handlers read was compared, many times over
        assertThat(compared.keySet()).containsExactly("int", "java.lang.Class", "java.lang.String", "long");
        assertThat(compared.values()).allSatisfy(n -> assertThat(n).isGreaterThan(5));
        assertThat(stacks).isGreaterThan(500);
    }

    private static String type(RecordedEvent e, String name) {
        for (ValueDescriptor d : e.getFields()) {
            if (d.getName().equals(name)) {
                return d.getTypeName();
            }
        }
        return "";
    }
}
