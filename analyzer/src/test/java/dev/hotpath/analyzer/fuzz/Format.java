package dev.hotpath.analyzer.fuzz;

import dev.hotpath.analyzer.model.ArtifactType;

/**
 * The formats the reader fuzz targets and sweeps cover, each with its committed seed corpus directory (the Jazzer
 * inputs directory of {@link ReaderFuzzTest}'s method of the same name) and whether it is text.
 */
public enum Format {
    JFR("jfr", ArtifactType.JFR, ".jfr", false),
    HPROF("hprof", ArtifactType.HPROF, ".hprof", false),
    HPROF_GZ("hprofGz", ArtifactType.HPROF, ".hprof.gz", false),
    NMT("nmt", ArtifactType.NMT, ".txt", true),
    JEMALLOC_PROFILE("jemallocProfile", ArtifactType.JEMALLOC, ".heap", true),
    JEMALLOC_STATS("jemallocStats", ArtifactType.JEMALLOC_STATS, ".txt", true),
    GCLOG("gcLog", ArtifactType.GCLOG, ".log", true),
    COLLAPSED("collapsed", ArtifactType.COLLAPSED, ".txt", true),
    AGENT_SNAPSHOT("agentSnapshot", ArtifactType.AGENT_SNAPSHOT, ".json", true),
    FIO("fio", ArtifactType.FIO, ".json", true),
    RUN_MANIFEST("runManifest", ArtifactType.RUN_DIR, ".json", true);

    private final String method;
    private final ArtifactType type;
    private final String suffix;
    private final boolean text;

    Format(String method, ArtifactType type, String suffix, boolean text) {
        this.method = method;
        this.type = type;
        this.suffix = suffix;
        this.text = text;
    }

    /** The {@link ReaderFuzzTest} method, and so the name of the corpus directory. */
    public String method() {
        return method;
    }

    public ArtifactType type() {
        return type;
    }

    public String suffix() {
        return suffix;
    }

    public boolean text() {
        return text;
    }

    /** Class-path directory of this format's corpus. */
    public String corpus() {
        return "/dev/hotpath/analyzer/fuzz/ReaderFuzzTestInputs/" + method + "/";
    }
}
