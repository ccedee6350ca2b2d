package dev.hotpath.samples.loadgen;

import dev.hotpath.samples.common.Args;
import java.util.Locale;

/** What one operation does. */
enum Workload {
    /** Training-like: each thread reads the shards of the dataset in order, epoch after epoch. */
    SEQ_READ,
    /** Checkpoint/inference-like: a random shard (or a random range of one, with --read-range). */
    RANDOM_READ,
    /** PUT of an object with a size from --sizes, over a bounded key space. */
    WRITE,
    /** POST of a batch of events to the ingest service. */
    INGEST;

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Workload of(String id) {
        for (Workload w : values()) {
            if (w.id().equals(id.trim())) {
                return w;
            }
        }
        throw new Args.UsageException("unknown workload '" + id + "' (seq-read, random-read, write, ingest)");
    }
}
