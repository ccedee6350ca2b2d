package dev.hotpath.analyzer.store;

import dev.hotpath.analyzer.model.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQLite workspace under faults: a writer process SIGKILLed mid-save while this JVM reads the same workspace,
 * and a save that hits a full file system (a real tmpfs of 2 MiB).
 */
class StoreChaosTest {
    private static final int FINDINGS = 600;
    private static final int ROWS = 1200;

    @TempDir
    static Path shared;
    private static Path smallFs;
    private static boolean mounted;

    @TempDir
    Path scratch;

    @BeforeAll
    static void mountSmallFileSystem() throws Exception {
        smallFs = Files.createDirectories(shared.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", smallFs.toString()) == 0;
        if (!mounted) {
            // Some containers refuse tmpfs mounts but allow loop devices.
            Path image = shared.resolve("small.img");
            try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(8L * 1024 * 1024);
            }
            assertThat(run("mkfs.ext4", "-q", "-F", image.toString())).as("mkfs.ext4").isZero();
            mounted = run("mount", "-o", "loop", image.toString(), smallFs.toString()) == 0;
        }
        assertThat(mounted).as("a small file system could be mounted at %s (needs root)", smallFs).isTrue();
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mounted) {
            assertThat(run("umount", smallFs.toString())).as("umount " + smallFs).isZero();
        }
    }

    @Test
    void sigkillDuringSavesWhileAnotherReaderReadsLosesNothing() throws Exception {
        String location = scratch.resolve("ws").toString();
        Set<Integer> saved = new TreeSet<>();
        Set<Integer> interrupted = new TreeSet<>();
        ConcurrentLinkedQueue<String> readerErrors = new ConcurrentLinkedQueue<>();
        AtomicLong loads = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (WorkspaceStore first = WorkspaceStore.open(location)) {
            first.list(); // creates the schema before the reader starts
        }
        Thread reader = new Thread(() -> readUntilStopped(location, stop, loads, readerErrors), "chaos-reader");
        reader.start();
        int next = 0;
        try {
            // Each round: a fresh writer process saves runs until it is killed inside a save.
            for (int round = 0; round < 3; round++) {
                Integer inFlight = null;
                try (WriterProcess writer = WriterProcess.start(scratch, "loop", location, "big", String.valueOf(next),
                        String.valueOf(FINDINGS), String.valueOf(ROWS))) {
                    long lastSaveMillis = 1;
                    int savedThisRound = 0;
                    while (true) {
                        String[] event = writer.next(120).split(" ");
                        int k = Integer.parseInt(event[1]);
                        next = Math.max(next, k + 1);
                        if (event[0].equals("saved")) {
                            saved.add(k);
                            savedThisRound++;
                            lastSaveMillis = Long.parseLong(event[3]);
                            inFlight = null;
                        } else if (event[0].equals("saving")) {
                            inFlight = k;
                            if (savedThisRound >= 2) {
                                // Vary where in the save the kill lands: early, middle, late.
                                Thread.sleep(Math.max(1, lastSaveMillis * (round + 1) / 4));
                                writer.kill();
                                break;
                            }
                        }
                    }
                    for (String line : writer.rest()) {
                        String[] event = line.split(" ");
                        if (event[0].equals("saved")) {
                            saved.add(Integer.parseInt(event[1]));
                            inFlight = null;
                        }
                    }
                }
                if (inFlight != null) {
                    interrupted.add(inFlight);
                }
            }
        } finally {
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(reader.isAlive()).isFalse();
        assertThat(readerErrors).isEmpty();
        assertThat(loads.get()).as("runs the concurrent reader loaded and compared").isPositive();
        assertThat(saved).hasSizeGreaterThanOrEqualTo(6);

        // Reopen: every confirmed run is there and exact; nothing else is, except a run whose commit landed just
        // before the kill (before the writer could print "saved").
        Set<Integer> listed = new TreeSet<>();
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            for (RunInfo info : store.list()) {
                int k = TestRuns.indexOf(info.name());
                listed.add(k);
                assertThat(store.load(info.id()).orElseThrow())
                        .isEqualTo(TestRuns.big("big", k, FINDINGS, ROWS).withId(info.id()));
            }
            assertThat(listed).containsAll(saved);
            Set<Integer> allowed = new TreeSet<>(saved);
            allowed.addAll(interrupted);
            assertThat(allowed).containsAll(listed);
            // The killed workspace still takes runs.
            Run after = TestRuns.sample("after", TestRuns.BASE.plusSeconds(100_000));
            String id = store.save(after);
            assertThat(store.load(id).orElseThrow()).isEqualTo(after.withId(id));
            System.out.println("StoreChaosTest: SIGKILL: 3 writer processes killed inside a save (" + interrupted.size()
                    + " saves cut); " + saved.size() + " confirmed runs of " + FINDINGS + " findings all reopened "
                    + "exact, " + listed.size() + " listed; the concurrent reader compared " + loads.get()
                    + " loads, none torn; the workspace took a new run");
        }
    }

    @Test
    void diskFullGivesOneLineNamingTheWorkspaceAndLeavesItUsable() throws Exception {
        Path dir = smallFs.resolve("ws");
        String location = dir.toString();
        List<String> ids = new ArrayList<>();
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            for (int i = 0; i < 3; i++) {
                ids.add(store.save(TestRuns.big("early", i, 20, 20)));
            }
            Path filler = smallFs.resolve("filler");
            fill(filler);
            StoreException full = null;
            // The database may have a few free pages left; a large run cannot fit in what remains.
            for (int i = 0; i < 5 && full == null; i++) {
                try {
                    store.save(TestRuns.big("toolarge", i, 2000, 2000));
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertThat(full).as("a save on a full file system fails").isNotNull();
            assertThat(full.getMessage())
                    .startsWith("workspace " + location + ": cannot save run 'toolarge-")
                    .doesNotContain("\n", "\r", "\tat ", "Exception")
                    .contains(": the file system is full (");
            // While the disk stays full, SQLite may not even read (a reader can need to grow the WAL index, which
            // lives on the same file system): each read then fails in one line too, and loses nothing.
            int readsRefused = 0;
            for (int i = 0; i < ids.size(); i++) {
                try {
                    assertThat(store.load(ids.get(i)).orElseThrow())
                            .isEqualTo(TestRuns.big("early", i, 20, 20).withId(ids.get(i)));
                } catch (StoreException e) {
                    readsRefused++;
                    assertThat(e.getMessage()).startsWith("workspace " + location + ": cannot load run '" + ids.get(i) + "': ")
                            .doesNotContain("\n", "\r", "\tat ", "Exception");
                }
            }
            System.out.println("StoreChaosTest: disk full: save refused with: " + full.getMessage()
                    + "; reads refused while full: " + readsRefused + " of " + ids.size());

            Files.delete(filler);
            assertEarlyRunsExact(store, ids);
            assertThat(store.list()).extracting(RunInfo::name).containsExactly("early-2", "early-1", "early-0");
            Run fresh = TestRuns.big("fresh", 9, 50, 50);
            String id = store.save(fresh);
            assertThat(store.load(id).orElseThrow()).isEqualTo(fresh.withId(id));
            assertEarlyRunsExact(store, ids);
        }
        // And after a reopen too.
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            assertEarlyRunsExact(store, ids);
            assertThat(store.list()).extracting(RunInfo::name).containsExactly("fresh-9", "early-2", "early-1", "early-0");
        }
    }

    @Test
    void openingAWorkspaceOnAFullFileSystemFailsInOneLine() throws Exception {
        Path filler = smallFs.resolve("filler2");
        fill(filler);
        try {
            Path dir = smallFs.resolve("new-ws");
            assertThatThrownBy(() -> WorkspaceStore.open(dir.toString()).close())
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("workspace " + dir + ": ")
                    .hasMessageNotContaining("\n");
        } finally {
            Files.delete(filler);
        }
    }

    private static void assertEarlyRunsExact(WorkspaceStore store, List<String> ids) throws StoreException {
        for (int i = 0; i < ids.size(); i++) {
            assertThat(store.load(ids.get(i)).orElseThrow()).isEqualTo(TestRuns.big("early", i, 20, 20).withId(ids.get(i)));
        }
    }

    /** Another process (the UI, a second CLI) reading while the writer saves: every visible run must be whole. */
    private static void readUntilStopped(String location, AtomicBoolean stop, AtomicLong loads, ConcurrentLinkedQueue<String> errors) {
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            while (!stop.get()) {
                for (RunInfo info : store.list()) {
                    int k = TestRuns.indexOf(info.name());
                    Run loaded = store.load(info.id()).orElse(null);
                    if (loaded == null || !loaded.equals(TestRuns.big("big", k, FINDINGS, ROWS).withId(info.id()))) {
                        errors.add("run " + info.name() + " read while writing is not what was written");
                    }
                    loads.incrementAndGet();
                    if (stop.get()) {
                        break;
                    }
                }
            }
        } catch (Exception | AssertionError e) {
            errors.add(e.toString());
        }
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            // No space left on device: the file system is full now.
            if (!String.valueOf(expected.getMessage()).contains("No space left")) {
                throw expected;
            }
        }
        // Small writes may still fit in a partial block; fill those too.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException expected) {
            // full to the byte
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
