package dev.hotpath.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UiCommandTest {
    @TempDir
    Path dir;

    @Test
    void bindingBeyondLoopbackWithoutATokenIsAUsageError() {
        Cli.Result r = Cli.run("ui", "--workspace", dir.toString(), "--bind", "0.0.0.0", "--port", "0");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("hotpath ui: --bind 0.0.0.0 exposes the UI beyond this machine: also give --token T"
                + " (see 'hotpath ui --help')" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void uploadsOfADirectoryWorkspaceStayInsideIt() {
        assertThat(UiCommand.uploadDir(dir.toString())).isEqualTo(dir.resolve("uploads"));
        assertThat(UiCommand.uploadDir("jdbc:postgresql://127.0.0.1/hotpath"))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".hotpath", "uploads"));
    }
}
