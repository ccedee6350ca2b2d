package dev.hotpath.samples;

import dev.hotpath.samples.cache.CacheMain;
import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.gateway.GatewayMain;
import dev.hotpath.samples.ingest.IngestMain;
import dev.hotpath.samples.loadgen.LoadGen;
import java.util.Arrays;

/**
 * Entry point of {@code hotpath-samples.jar}: {@code java -jar hotpath-samples.jar gateway|cache|ingest|loadgen [options]}.
 * Services print {@code NAME listening on 127.0.0.1:PORT} once ready and stop cleanly on SIGTERM; loadgen prints
 * its JSON summary and exits. Exit code 2 is a usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: hotpath-samples gateway|cache|ingest|loadgen [--option=value ...]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (argv[0]) {
                case "gateway" -> GatewayMain.main(rest);
                case "cache" -> CacheMain.main(rest);
                case "ingest" -> IngestMain.main(rest);
                case "loadgen" -> System.exit(LoadGen.run(rest, System.out, System.err));
                default -> {
                    System.err.println("hotpath-samples: unknown command '" + argv[0] + "' (gateway|cache|ingest|loadgen)");
                    System.exit(2);
                }
            }
        } catch (Args.UsageException e) {
            System.err.println("hotpath-samples " + argv[0] + ": " + e.getMessage());
            System.exit(2);
        } catch (java.io.IOException e) {
            // e.g. loadgen's target or a service's gateway is not reachable: one line, no stack trace
            System.err.println("hotpath-samples " + argv[0] + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }
}
