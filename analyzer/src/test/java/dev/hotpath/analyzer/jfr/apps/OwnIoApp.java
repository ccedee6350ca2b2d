package dev.hotpath.analyzer.jfr.apps;

import dev.hotpath.agent.export.SnapshotWriterStandIn;

import java.io.FileOutputStream;
import java.nio.file.Path;

/**
 * An application writing a file of its own ({@code args[0]}/app.bin: 5 writes of 1,000 bytes) while a class in the
 * package of hotpath's agent writes the agent's snapshot file ({@code args[0]}/agent-snapshot.json.tmp: 3 writes of
 * 500 bytes) on its own thread. Prints nothing (stdout's writes would be file events too).
 */
public final class OwnIoApp {
    private OwnIoApp() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (FileOutputStream out = new FileOutputStream(dir.resolve("app.bin").toFile())) {
            for (int i = 0; i < 5; i++) {
                out.write(new byte[1000]);
            }
        }
        SnapshotWriterStandIn.writeOnOwnThread(dir.resolve("agent-snapshot.json.tmp"), 3, 500);
    }
}
