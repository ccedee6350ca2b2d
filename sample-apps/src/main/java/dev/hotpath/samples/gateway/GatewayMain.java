package dev.hotpath.samples.gateway;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Daemon;
import dev.hotpath.samples.common.Fault;
import java.nio.file.Path;

/**
 * {@code gateway --root=DIR [--port=0] [--threads=8] [--bucket=NAME ...] [--fault=small-writes,...]}.
 * {@code --bucket} creates buckets at start (a directory under the root is a bucket in any case).
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv).allow("root", "port", "threads", "bucket", "fault");
        Path root = Path.of(a.require("root"));
        Gateway g = Gateway.start(root, a.getInt("port", 0), a.getInt("threads", 8), Fault.parse(a.all("fault")));
        for (String b : a.all("bucket")) {
            java.nio.file.Files.createDirectories(root.resolve(b));
        }
        g.http().announce(System.out);
        Daemon.runUntilShutdown("gateway", g);
    }
}
