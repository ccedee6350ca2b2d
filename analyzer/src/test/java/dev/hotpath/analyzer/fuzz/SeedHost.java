package dev.hotpath.analyzer.fuzz;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small JVM that the seed maker records, dumps and inspects with jcmd: it allocates a little (so the GC log and the
 * heap dump have content), prints {@code ready}, and exits normally (dumping its JFR recording) at a line on stdin.
 */
public final class SeedHost {
    private SeedHost() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            kept.add(new byte[1024 + i]);
            if (kept.size() > 500) {
                kept.remove(0);
            }
        }
        System.gc();
        System.out.println("ready " + kept.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
