package dev.hotpath.analyzer.store;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The migrations on the class path and the version the store's fast path expects agree. */
class SchemaMigratorTest {

    @Test
    void bothDialectsHaveVersionsOneToTheKnownVersion() throws Exception {
        List<String> sqlite = migrations("sqlite");
        List<String> postgres = migrations("postgresql");
        assertThat(sqlite).hasSize(SchemaMigrator.SCHEMA_VERSION);
        assertThat(postgres).isEqualTo(sqlite);
        for (int v = 1; v <= SchemaMigrator.SCHEMA_VERSION; v++) {
            assertThat(sqlite.get(v - 1)).startsWith("V" + v + "__");
        }
    }

    private static List<String> migrations(String dialect) throws Exception {
        Path dir = resourceDir("db/migration/" + dialect);
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
    }

    private static int version(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static Path resourceDir(String name) throws URISyntaxException {
        return Path.of(SchemaMigratorTest.class.getClassLoader().getResource(name).toURI());
    }
}
