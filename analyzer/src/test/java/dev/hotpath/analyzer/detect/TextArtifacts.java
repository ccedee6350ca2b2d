package dev.hotpath.analyzer.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The text and JSON artifacts whose formats are fixed by DESIGN.md / FORMATS.md, written as their producers write them. */
public final class TextArtifacts {
    private TextArtifacts() {
    }

    public static final String COLLAPSED = """
            java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Ingest.compress;java.util.zip.Deflater.deflate 812
            java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Segment.write;sun.nio.ch.FileDispatcherImpl.write0 95
            java.lang.Thread.run;com.acme.Ingest.loop 3
            """;

    public static final String SNAPSHOT = """
            {"pid":123,"startedAt":"2026-11-25T10:00:00Z","capturedAt":"2026-11-25T10:01:00Z","dropped":0,
             "callSites":[{"site":"com.acme.Log.append(Log.java:88)","kind":"file","op":"write",
              "target":"/data/seg-001.log","count":10000,"bytes":40960000,
              "latencyNanos":{"p50":1200,"p90":2100,"p99":9000,"p999":40000,"max":90000},"pattern":"sequential"}]}
            """;

    public static final String RSS = """
            # hotpath-rss v1
            epochMillis,rssKb,pssKb,anonKb,fileKb,swapKb
            1764064800000,81234,80012,60000,21234,0
            1764064801000,82400,81100,61100,21300,-1
            """;

    /** fio --output-format=json prints a warning line before the JSON when asked for odd options. */
    public static final String FIO = """
            note: both iodepth >= 1 and synchronous I/O engine are selected, queue depth will be capped at 1
            {
              "fio version" : "fio-3.33",
              "timestamp" : 1764064800,
              "jobs" : [ { "jobname" : "seqread", "read" : { "io_bytes" : 1048576, "iops" : 256.0 } } ]
            }
            """;

    public static final String ALLOCATOR_COMPARISON = """
            {"command":"java -jar app.jar","variants":[{"name":"glibc","env":{},"runs":[]}],
             "comparisons":[{"baseline":"glibc","variant":"jemalloc","metric":"peakRssBytes","change":-0.23}]}
            """;

    public static Path write(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), content);
    }
}
