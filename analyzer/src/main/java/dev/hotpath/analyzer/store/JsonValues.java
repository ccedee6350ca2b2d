package dev.hotpath.analyzer.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of evidence, attributes, summaries and notes in the workspace.
 *
 * <p>Round trip, as a reader of a loaded run sees it: objects come back as {@code LinkedHashMap} in the stored key
 * order (evidence is printed in that order), arrays as {@code ArrayList}, integral numbers as {@code Long} (or
 * {@code BigInteger} beyond 64 bits), other numbers as {@code Double} (NaN and infinities included), and
 * {@code Instant}, {@code Duration} and {@code Path} values as their {@code toString()}. Thread-safe.
 */
final class JsonValues {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .addModule(new SimpleModule("hotpath-store")
                    .addSerializer(Instant.class, new ToStringSerializer<>())
                    .addSerializer(Duration.class, new ToStringSerializer<>())
                    .addSerializer(Path.class, new ToStringSerializer<>()))
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private JsonValues() {
    }

    static String write(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }

    static Object read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, Object.class);
    }

    static Map<String, Object> readMap(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, MAP);
    }

    static List<String> readStrings(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, STRINGS);
    }

    private static final class ToStringSerializer<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
