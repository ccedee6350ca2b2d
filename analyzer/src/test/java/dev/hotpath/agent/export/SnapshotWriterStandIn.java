package dev.hotpath.agent.export;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * For the analyzer's tests: a class in the package of hotpath's agent, as the agent's exporter is, writing a file
 * from its own thread the way the agent writes its snapshot. (The agent module is built after the analyzer, so its
 * jar is not on the analyzer tests' class path.)
 */
public final class SnapshotWriterStandIn {
    private SnapshotWriterStandIn() {
    }

    /** Writes {@code writes} blocks of {@code size} bytes to {@code file} on a thread of its own, and waits for it. */
    public static void writeOnOwnThread(Path file, int writes, int size) throws InterruptedException {
        Thread t = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                for (int i = 0; i < writes; i++) {
                    out.write(new byte[size]);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "hotpath-agent-snapshot");
        t.start();
        t.join();
    }
}
