package dev.hotpath.cli;

import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.store.WorkspaceStore;
import dev.hotpath.ui.PipelineRunAnalyzer;
import dev.hotpath.ui.UiOptions;
import dev.hotpath.ui.UiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code hotpath ui}: serves the web UI over a workspace until interrupted. */
@Command(name = "ui", description = "Browse the runs of a workspace in a web UI (binds 127.0.0.1 unless told otherwise).")
public final class UiCommand extends BaseCommand {
    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--port", defaultValue = "7070", description = "TCP port (0: a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to bind. Anything but loopback also needs --token. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--token", description = "Token every request must carry (required with a non-loopback --bind).")
    String token;

    @Option(names = "--max-upload-mb", defaultValue = "512", description = "Largest upload accepted, in MiB. Default: ${DEFAULT-VALUE}.")
    long maxUploadMb;

    @Override
    public Integer call() throws Exception {
        UiOptions options;
        try {
            options = new UiOptions(bind, port, token, maxUploadMb * 1024 * 1024, uploadDir(workspace.location()));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        WorkspaceStore store = WorkspaceStore.open(workspace.location());
        UiServer server = UiServer.start(store, new PipelineRunAnalyzer(Analyzer.withInstalledPlugins(), store), options);
        out().println("hotpath UI: " + server.url() + "  (workspace " + store.location() + "; Ctrl-C stops)");
        out().flush();
        serveUntilInterrupted(server, () -> {
            try {
                store.close();
            } catch (Exception ignored) {
                // closing on exit: nothing left to protect
            }
        });
        return ExitCodes.OK;
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C); the shutdown hook closes the server, then runs {@code andThen}. */
    static void serveUntilInterrupted(UiServer server, Runnable andThen) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            andThen.run();
            stopped.countDown();
        }, "hotpath-ui-shutdown"));
        stopped.await();
    }

    /** Uploads live inside a directory workspace; a database workspace keeps them under ~/.hotpath/uploads. */
    static Path uploadDir(String location) {
        if (location.startsWith("jdbc:")) {
            return Path.of(System.getProperty("user.home"), ".hotpath", "uploads");
        }
        Path dir = Path.of(location);
        return Files.isDirectory(dir) || !Files.exists(dir) ? dir.resolve("uploads") : dir.resolveSibling("uploads");
    }
}
