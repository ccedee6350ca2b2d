package dev.hotpath.analyzer.model;

/**
 * Every kind of evidence hotpath reads. The ids are part of the findings JSON contract (DESIGN.md):
 * they appear as {@code artifacts[].type}. Types are detected by content, never by file extension.
 */
public enum ArtifactType {
    JFR("jfr"),
    ASYNC_PROFILER_JFR("async-profiler-jfr"),
    HPROF("hprof"),
    NMT("nmt"),
    JEMALLOC("jemalloc"),
    JEMALLOC_STATS("jemalloc-stats"),
    GCLOG("gclog"),
    COLLAPSED("collapsed"),
    AGENT_SNAPSHOT("agent-snapshot"),
    RSS("rss"),
    FIO("fio"),
    RUN_DIR("run-dir"),
    ALLOCATOR_COMPARISON("allocator-comparison");

    private final String id;

    ArtifactType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ArtifactType fromId(String id) {
        for (ArtifactType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown artifact type '" + id + "'");
    }
}
