package dev.hotpath.agent.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot file is written whole through a temp file and a rename, and no temp file is left behind. */
class SnapshotFileTest {
    @TempDir
    Path dir;

    @Test
    void writesIntoMissingDirectoriesAndReplacesTheOldSnapshotLeavingOnlyTheTarget() throws IOException {
        Path target = dir.resolve("a/b/snap.json");
        SnapshotFile.write(target, "{\"n\":1}\n");
        assertThat(Files.readString(target)).isEqualTo("{\"n\":1}\n");
        String big = "x".repeat(3 * 1024 * 1024) + "\u00e9";
        SnapshotFile.write(target, big);
        assertThat(Files.readAllBytes(target)).isEqualTo(big.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("snap.json");
        }
        // the snapshot names the host's files and peers: its owner's only, as Files.createTempFile made it
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
    }

    @Test
    void aTargetWhoseDirectoryIsAFileFailsWithTheDirectoryNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> SnapshotFile.write(file.resolve("snap.json"), "{}"))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot create directory " + file);
    }
}
