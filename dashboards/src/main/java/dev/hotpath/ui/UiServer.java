package dev.hotpath.ui;

import dev.hotpath.analyzer.store.StoreException;
import dev.hotpath.analyzer.store.WorkspaceStore;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

/**
 * The web UI: static pages (no inline scripts) that read the JSON API. One route tree; handlers are methods of
 * controllers built with their dependencies.
 */
public final class UiServer implements AutoCloseable {
    private final Javalin app;
    private final UiOptions options;

    private UiServer(Javalin app, UiOptions options) {
        this.app = app;
        this.options = options;
    }

    public static UiServer start(WorkspaceStore store, RunAnalyzer analyzer, UiOptions options) {
        RunsController runs = new RunsController(store, analyzer, options);
        HeapController heap = new HeapController(store);
        SecurityFilter security = new SecurityFilter(options.token());
        byte[] indexPage = resource("index.html");
        byte[] runPage = resource("run.html");
        byte[] comparePage = resource("compare.html");
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = options.bind();
            cfg.jetty.port = options.port();
            cfg.http.maxRequestSize = options.maxUploadBytes();
            cfg.jetty.multipartConfig.maxTotalRequestSize(options.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxFileSize(options.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/hotpath-ui";
                sf.location = Location.CLASSPATH;
            });
            cfg.routes.before(security::before);
            cfg.routes.exception(StoreException.class, (e, ctx) ->
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", e.getMessage())));
            cfg.routes.apiBuilder(() -> {
                get("/", ctx -> html(ctx, indexPage));
                get("/runs/{id}", ctx -> html(ctx, runPage));
                get("/compare", ctx -> html(ctx, comparePage));
                path("/api/runs", () -> {
                    get(runs::list);
                    post(runs::upload);
                    path("{id}", () -> {
                        get(runs::get);
                        get("findings", runs::findings);
                        get("artifacts", runs::artifacts);
                        get("summaries", runs::summaries);
                        get("summaries/{kind}", runs::summary);
                        get("heap/dominators", heap::dominators);
                    });
                });
            });
        });
        app.start();
        return new UiServer(app, options);
    }

    public int port() {
        return app.port();
    }

    /** The address a user opens, with the token when one is required. */
    public String url() {
        String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
        return "http://" + host + ":" + port() + "/" + (options.token() == null ? "" : "?token=" + options.token());
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void html(Context ctx, byte[] page) {
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private static byte[] resource(String name) {
        try (InputStream in = UiServer.class.getResourceAsStream("/hotpath-ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("UI resource missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
