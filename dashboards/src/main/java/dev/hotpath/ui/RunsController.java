package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.store.RunInfo;
import dev.hotpath.analyzer.store.StoreException;
import dev.hotpath.analyzer.store.WorkspaceStore;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** The JSON API under {@code /api/runs}. Reads go straight to the store; uploads are analysed into a new run. */
final class RunsController {
    /** A refused upload declaring at most this many bytes is read to its end before the 413 (see {@link #drain}). */
    static final long DRAIN_MAX_BYTES = 64L << 20;
    private final WorkspaceStore store;
    private final RunAnalyzer analyzer;
    private final UiOptions options;

    RunsController(WorkspaceStore store, RunAnalyzer analyzer, UiOptions options) {
        this.store = store;
        this.analyzer = analyzer;
        this.options = options;
    }

    void list(Context ctx) throws StoreException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunInfo info : store.list()) {
            out.add(ApiJson.runInfo(info));
        }
        ctx.json(out);
    }

    void get(Context ctx) throws StoreException {
        ctx.json(ApiJson.run(run(ctx)));
    }

    void findings(Context ctx) throws StoreException {
        ctx.json(ApiJson.findings(run(ctx)));
    }

    void artifacts(Context ctx) throws StoreException {
        ctx.json(ApiJson.artifacts(run(ctx)));
    }

    void summaries(Context ctx) throws StoreException {
        ctx.json(ApiJson.run(run(ctx)).get("summaries"));
    }

    void summary(Context ctx) throws StoreException {
        Run run = run(ctx);
        String kind = ctx.pathParam("kind");
        Object value = run.summaries().get(kind);
        if (value == null) {
            throw new NotFoundResponse("run " + run.id() + " has no summary '" + kind + "'");
        }
        ctx.json(value);
    }

    /**
     * {@code POST /api/runs}: multipart field {@code files} (one or more artifacts) and optional {@code name}.
     * Files are kept under the workspace's upload directory, each upload in a directory of its own, with the
     * client's file name reduced to a safe base name; nothing is written elsewhere.
     */
    /**
     * Reads and drops a refused upload's body, when it declares at most {@link #DRAIN_MAX_BYTES}, before the 413 is
     * sent: a client still sending it otherwise may find the connection reset by the server's close before it reads
     * the response (the JDK's HttpClient then fails with "header parser received no bytes"). A larger body is cut off.
     */
    private static void drain(Context ctx, long declared) {
        if (declared > DRAIN_MAX_BYTES) {
            return;
        }
        byte[] sink = new byte[64 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            long left = declared;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending: there is no one to answer
        }
    }

    void upload(Context ctx) throws Exception {
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxUploadBytes()) {
            drain(ctx, declared);
            throw new ContentTooLargeResponse("upload of " + declared + " bytes exceeds the limit of " + options.maxUploadBytes() + " bytes");
        }
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles("files");
        } catch (Exception e) {
            // Jetty reports a body past the multipart limits (e.g. chunked, with no length declared) as a bad multipart,
            // wrapped in a ServletException that Kotlin lets through undeclared; both mean the same to the client.
            throw new ContentTooLargeResponse("upload exceeds the limit of " + options.maxUploadBytes() + " bytes or is not valid multipart");
        }
        if (files.isEmpty()) {
            throw new BadRequestResponse("no files in field 'files'");
        }
        Path dir = options.uploadDir().toAbsolutePath().normalize().resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        List<Path> stored = new ArrayList<>();
        try {
            for (UploadedFile f : files) {
                Path target = dir.resolve(safeName(f.filename(), stored.size()));
                if (!target.normalize().startsWith(dir)) {
                    throw new BadRequestResponse("bad file name");
                }
                try (InputStream in = f.content()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                stored.add(target);
            }
            String name = ctx.formParam("name");
            if (name == null || name.isBlank()) {
                name = "upload " + stored.get(0).getFileName();
            }
            Run run = analyzer.analyzeAndStore(stored, name.strip());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", run.id());
            out.put("name", run.name());
            out.put("findings", run.findings().size());
            out.put("notes", run.notes());
            ctx.status(HttpStatus.CREATED).json(out);
        } catch (UnusableInputException e) {
            deleteQuietly(dir);
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(Map.of("error", e.getMessage()));
        } catch (Exception e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The base name of a client-supplied file name, restricted to a safe alphabet; never empty, never a dot name. */
    static String safeName(String clientName, int index) {
        String base = clientName == null ? "" : clientName;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length() && sb.length() < 120; i++) {
            char c = base.charAt(i);
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        String s = sb.toString();
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            s = "artifact";
        }
        return String.format(Locale.ROOT, "%02d-%s", index, s);
    }

    private Run run(Context ctx) throws StoreException {
        String id = ctx.pathParam("id");
        return store.load(id).orElseThrow(() -> new NotFoundResponse("no run '" + id + "'"));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover upload is harmless and inside the workspace
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
