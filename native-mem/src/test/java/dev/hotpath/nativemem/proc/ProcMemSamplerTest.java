package dev.hotpath.nativemem.proc;

import dev.hotpath.nativemem.NativeFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcMemSamplerTest {
    @TempDir
    Path tmp;

    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 8000000 kB
            VmRSS:\t  123456 kB
            RssAnon:\t  100000 kB
            RssFile:\t   20000 kB
            RssShmem:\t    3456 kB
            VmSwap:\t       0 kB
            Threads:\t27
            """;

    @Test
    void readsStatusAndRollupFields() throws Exception {
        Path proc = Files.createDirectory(tmp.resolve("4242"));
        Files.writeString(proc.resolve("status"), STATUS);
        Files.writeString(proc.resolve("smaps_rollup"), "00400000-7ffd [rollup]\nRss:  123456 kB\nPss:  120001 kB\n");
        MemSample s = new ProcMemSampler(proc).sample();
        assertThat(s.rssKb()).isEqualTo(123456);
        assertThat(s.pssKb()).isEqualTo(120001);
        assertThat(s.anonKb()).isEqualTo(100000);
        assertThat(s.fileKb()).isEqualTo(23456);
        assertThat(s.swapKb()).isEqualTo(0);
        assertThat(s.threads()).isEqualTo(27);
    }

    @Test
    void pssIsHeldBetweenReadsUntilItsCpuBudgetAllowsTheNext() throws Exception {
        Path proc = Files.createDirectory(tmp.resolve("4244"));
        Files.writeString(proc.resolve("status"), STATUS);
        Files.writeString(proc.resolve("smaps_rollup"), "Pss:  1000 kB\n");
        // a share so small that the first read's CPU time postpones the next one for hours
        ProcMemSampler held = new ProcMemSampler(proc, 1e-12);
        ProcMemSampler budget = new ProcMemSampler(proc);
        assertThat(held.sample().pssKb()).isEqualTo(1000);
        assertThat(budget.sample().pssKb()).isEqualTo(1000);
        Files.writeString(proc.resolve("smaps_rollup"), "Pss:  2000 kB\n");
        Files.writeString(proc.resolve("status"), STATUS.replace("123456", "130000"));
        MemSample s = held.sample();
        assertThat(s.pssKb()).isEqualTo(1000); // held
        assertThat(s.rssKb()).isEqualTo(130000); // status is read every time
        // at the default 0.5%, a small file's read (tens of µs of CPU) allows the next one within milliseconds
        Thread.sleep(200);
        assertThat(budget.sample().pssKb()).isEqualTo(2000);
    }

    @Test
    void missingRollupLeavesPssUnknown() throws Exception {
        Path proc = Files.createDirectory(tmp.resolve("4243"));
        Files.writeString(proc.resolve("status"), STATUS);
        MemSample s = new ProcMemSampler(proc).sample();
        assertThat(s.pssKb()).isEqualTo(-1);
        assertThat(s.rssKb()).isEqualTo(123456);
    }

    @Test
    void goneProcessGivesNull() throws Exception {
        assertThat(new ProcMemSampler(tmp.resolve("nope")).sample()).isNull();
    }

    @Test
    void samplesThisJvmFromRealProc() throws Exception {
        MemSample s = new ProcMemSampler(ProcessHandle.current().pid()).sample();
        assertThat(s.rssKb()).isGreaterThan(10_000);
        assertThat(s.pssKb()).isGreaterThan(1_000).isLessThanOrEqualTo(s.rssKb());
        assertThat(s.anonKb() + s.fileKb()).isEqualTo(s.rssKb());
        assertThat(s.threads()).isGreaterThan(3);
    }

    @Test
    void timelineRoundTripsAndDropsATornLastRow() throws Exception {
        StringWriter w = new StringWriter();
        RssTimeline.writeHeader(w);
        RssTimeline.writeRow(w, new MemSample(1000, 2048, 2000, 1500, 548, -1, 9));
        RssTimeline.writeRow(w, new MemSample(2000, 4096, 4000, 3500, 596, 0, 9));
        Path f = Files.writeString(tmp.resolve("rss.csv"), w + "3000,81");
        assertThat(Files.readString(f)).startsWith("# hotpath-rss v1\nepochMillis,rssKb,pssKb,anonKb,fileKb,swapKb\n"
                + "1000,2048,2000,1500,548,-1\n");
        RssTimeline.Result r = RssTimeline.read(f);
        assertThat(r.samples()).containsExactly(new MemSample(1000, 2048, 2000, 1500, 548, -1, -1),
                new MemSample(2000, 4096, 4000, 3500, 596, 0, -1));
        assertThat(r.droppedRows()).isEqualTo(1);
    }

    @Test
    void rejectsAFileThatIsNotATimeline() throws Exception {
        Path f = Files.writeString(tmp.resolve("x.csv"), "time,rss\n1,2\n");
        assertThatThrownBy(() -> RssTimeline.read(f)).isInstanceOf(NativeFormatException.class)
                .hasMessage(f + ": not an RSS timeline: first line is 'time,rss', expected '# hotpath-rss v1' (line 1)");
        Path e = Files.createFile(tmp.resolve("e.csv"));
        assertThatThrownBy(() -> RssTimeline.read(e)).hasMessage(e + ": empty file, expected an RSS timeline ('# hotpath-rss v1')");
    }
}
