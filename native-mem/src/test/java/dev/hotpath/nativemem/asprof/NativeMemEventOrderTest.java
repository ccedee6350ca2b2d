package dev.hotpath.nativemem.asprof;

import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JFR writes a thread's events when its buffer fills or the thread ends, so events of different threads are not in
 * time order in the file — exactly what async-profiler's recordings look like. These recordings are made in this
 * JVM with events of async-profiler's names and fields, committed from threads whose ends order the file.
 */
class NativeMemEventOrderTest {
    @TempDir
    Path dir;

    @Name("profiler.Malloc")
    static final class Malloc extends Event {
        long address;
        long size;
    }

    @Name("profiler.Free")
    static final class Free extends Event {
        long address;
    }

    static void malloc(long address, long size) {
        Malloc m = new Malloc();
        m.address = address;
        m.size = size;
        m.commit();
    }

    static void free(long address) {
        Free f = new Free();
        f.address = address;
        f.commit();
    }

    /**
     * Time order: A mallocs and frees 0x1000 and C mallocs 0x3000; then B mallocs 0x1000 again (kept) and 0x2000
     * (kept) and frees 0x3000. File order: B's events first, then A's and C's — as when B's thread buffer is written
     * before theirs. A reader that replays the file in its order loses B's block (it takes B's malloc for the one A's
     * later-read free ends) and keeps C's (its free was read before it).
     *
     * <p>JFR does not say when it writes a thread's buffer, so the order is made deterministic with two recordings:
     * the later one's chunk, then the earlier one's, in one file (a JFR file is a sequence of chunks).
     */
    private Path recordOutOfOrder() throws Exception {
        Path early = dir.resolve("early.jfr");
        Path late = dir.resolve("late.jfr");
        try (Recording r = new Recording()) {
            r.enable(Malloc.class).withStackTrace();
            r.enable(Free.class);
            r.start();
            onThread("A", () -> {
                malloc(0x1000, 100);
                free(0x1000);
            });
            onThread("C", () -> malloc(0x3000, 50));
            r.stop();
            r.dump(early);
        }
        try (Recording r = new Recording()) {
            r.enable(Malloc.class).withStackTrace();
            r.enable(Free.class);
            r.start();
            onThread("B", () -> {
                malloc(0x1000, 777);
                malloc(0x2000, 555);
                free(0x3000);
            });
            // the recording goes on well past the events: none falls in the 10% tail that the reader leaves out
            Thread.sleep(1500);
            r.stop();
            r.dump(late);
        }
        Path jfr = dir.resolve("order.jfr");
        try (FileChannel out = FileChannel.open(jfr, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (Path part : List.of(late, early)) {
                try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
                    in.transferTo(0, in.size(), out);
                }
            }
        }
        return jfr;
    }

    private static void onThread(String name, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, name);
        t.start();
        t.join();
    }

    @Test
    void liveBlocksAreRightWhateverOrderTheThreadsEventsAreWrittenIn() throws Exception {
        Path jfr = recordOutOfOrder();
        // the file is out of time order: B's malloc of 0x1000 comes before A's, B's free of 0x3000 before C's malloc
        List<String> fileOrder = new ArrayList<>();
        try (RecordingFile rf = new RecordingFile(jfr)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String kind = e.getEventType().getName().equals("profiler.Malloc") ? "malloc" : "free";
                fileOrder.add(kind + " " + Long.toHexString(e.getLong("address"))
                        + (kind.equals("malloc") ? " " + e.getLong("size") : "") + " on " + e.getThread().getJavaName());
            }
        }
        assertThat(fileOrder).as("file order").hasSize(6);
        assertThat(fileOrder.indexOf("malloc 1000 777 on B")).as(fileOrder.toString()).isLessThan(fileOrder.indexOf("malloc 1000 100 on A"));
        assertThat(fileOrder.indexOf("free 3000 on B")).as(fileOrder.toString()).isLessThan(fileOrder.indexOf("malloc 3000 50 on C"));

        NativeMemProfile p = new NativeMemReader(0.1, 10).read(jfr);
        assertThat(p.mallocs()).isEqualTo(4);
        assertThat(p.frees()).isEqualTo(2);
        assertThat(p.mallocBytes()).isEqualTo(100 + 777 + 555 + 50);
        assertThat(p.unfreedBytes()).isEqualTo(777 + 555);
        // both kept blocks are malloc'd at one line (the malloc helper) through two callers' lines: one culprit
        assertThat(p.stacks()).hasSize(1);
        UnfreedStack s = p.stacks().get(0);
        assertThat(s.appFrame()).startsWith("dev.hotpath.nativemem.asprof.NativeMemEventOrderTest.malloc:");
        assertThat(s.bytes()).isEqualTo(777 + 555);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.stacks()).isEqualTo(2);
        assertThat(s.frames().get(1)).startsWith("dev.hotpath.nativemem.asprof.NativeMemEventOrderTest.lambda$recordOutOfOrder$");
    }

    @Test
    void anUnfinishedChunkHeaderFallsBackToTheEventsSpan() throws Exception {
        Path jfr = recordOutOfOrder();
        NativeMemProfile fromHeader = new NativeMemReader(0.1, 10).read(jfr);
        assertThat(NativeMemReader.chunkWindow(jfr)).isNotNull();
        // a writer killed mid-chunk leaves the header's duration at 0
        Path unfinished = Files.copy(jfr, dir.resolve("unfinished.jfr"));
        try (FileChannel ch = FileChannel.open(unfinished, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8), 40);
        }
        assertThat(NativeMemReader.chunkWindow(unfinished)).isNull();
        NativeMemProfile fromEvents = new NativeMemReader(0.0, 10).read(unfinished);
        // the span is now the events' own (first malloc to last free), so nothing at its end is left out with tail 0
        assertThat(fromEvents.unfreedBytes()).isEqualTo(777 + 555);
        assertThat(fromEvents.endMillis() - fromEvents.startMillis())
                .isLessThan(fromHeader.endMillis() - fromHeader.startMillis() - 1000);
    }
}
