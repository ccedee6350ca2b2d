package dev.hotpath.samples.gateway;

import dev.hotpath.samples.common.Exchanges;
import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.HttpService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The S3-compatible gateway over a directory. Embeddable (tests start it in-process) and runnable through
 * {@link GatewayMain}. Besides S3 it serves {@code GET /_hotpath/metrics} (JSON counters; '_' cannot start a bucket
 * name, so the path never shadows one).
 */
public final class Gateway implements AutoCloseable {
    private final HttpService http;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Set<Fault> faults;
    private final Path root;

    private Gateway(Path root, int port, int threads, Set<Fault> faults) throws IOException {
        this.faults = faults;
        this.root = root;
        ObjectStore store = new ObjectStore(root, faults, metrics);
        S3Handler s3 = new S3Handler(store, new MultipartUploads(store), new BodyReader(faults, metrics), metrics);
        http = new HttpService("gateway", "127.0.0.1", port, threads)
                .handle("/", s3)
                .handle("/_hotpath/metrics", ex -> Exchanges.sendJson(ex, 200, metrics()));
    }

    public static Gateway start(Path root, int port, int threads, Set<Fault> faults) throws IOException {
        Gateway g = new Gateway(root, port, threads, faults);
        g.http.start();
        return g;
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return http.baseUrl();
    }

    public Path root() {
        return root;
    }

    public HttpService http() {
        return http;
    }

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", "gateway");
        List<String> f = new ArrayList<>();
        for (Fault x : faults) {
            f.add(x.id());
        }
        m.put("faults", f);
        m.putAll(metrics.snapshot());
        return m;
    }

    @Override
    public void close() {
        http.close();
    }
}
