package dev.hotpath.analyzer.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A separate JVM that writes runs into a workspace, for the tests that kill a writer mid-save and that run two
 * writers at once. Prints one line per event on stdout so the test can follow it:
 * {@code ready}, {@code saving K}, {@code saved K ID MILLIS}, {@code done}.
 *
 * <p>{@code loop LOCATION PREFIX FIRST FINDINGS ROWS}: saves {@link TestRuns#big} runs FIRST, FIRST+1, ... until killed.
 * {@code count LOCATION PREFIX N FINDINGS ROWS}: prints {@code ready}, waits for a line on stdin, saves N runs, exits.
 */
public final class StoreWriterMain {
    private StoreWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String location = args[1];
        String prefix = args[2];
        int number = Integer.parseInt(args[3]);
        int findings = Integer.parseInt(args[4]);
        int rows = Integer.parseInt(args[5]);
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            if (mode.equals("loop")) {
                for (int k = number; ; k++) {
                    save(store, prefix, k, findings, rows);
                }
            }
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int k = 0; k < number; k++) {
                save(store, prefix, k, findings, rows);
            }
            System.out.println("done");
        }
    }

    private static void save(WorkspaceStore store, String prefix, int k, int findings, int rows) throws Exception {
        var run = TestRuns.big(prefix, k, findings, rows);
        System.out.println("saving " + k);
        System.out.flush();
        long start = System.nanoTime();
        String id = store.save(run);
        System.out.println("saved " + k + " " + id + " " + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
    }
}
