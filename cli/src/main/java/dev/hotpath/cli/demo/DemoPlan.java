package dev.hotpath.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which faults the demo plants and where. Each fault lives in one service (DESIGN.md "Sample services"); the list is
 * passed to every service, which ignores the faults it does not implement.
 *
 * <p>The default set covers one fault in each of the categories io (small-writes, fsync-per-write in the gateway),
 * heap (heap-leak in the cache), native (native-leak in ingest), locks (lock-contention in ingest) and allocation
 * (alloc-churn in the gateway).
 */
public record DemoPlan(Set<String> faults) {
    public static final List<String> KNOWN = List.of("small-writes", "fsync-per-write", "heap-leak", "native-leak",
            "lock-contention", "alloc-churn", "gc-pressure", "random-reads");
    public static final List<String> DEFAULT = List.of("small-writes", "fsync-per-write", "heap-leak", "native-leak",
            "lock-contention", "alloc-churn");

    public DemoPlan {
        faults = Set.copyOf(faults);
    }

    /**
     * @param faults comma-separated names, or {@code null} for the default set
     * @param clean  no faults at all
     * @throws IllegalArgumentException naming an unknown fault
     */
    public static DemoPlan of(String faults, boolean clean) {
        if (clean) {
            return new DemoPlan(Set.of());
        }
        if (faults == null) {
            return new DemoPlan(new LinkedHashSet<>(DEFAULT));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : faults.split(",")) {
            String name = f.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("--faults: unknown fault '" + f.trim() + "' (known: " + String.join(",", KNOWN) + ")");
            }
            out.add(name);
        }
        return new DemoPlan(out);
    }

    public boolean has(String fault) {
        return faults.contains(fault);
    }

    /** The planted faults in {@link #KNOWN}'s order. */
    public List<String> ordered() {
        List<String> ordered = new ArrayList<>();
        for (String k : KNOWN) {
            if (faults.contains(k)) {
                ordered.add(k);
            }
        }
        return ordered;
    }

    /** The {@code --fault=} argument for the services, or none when clean. */
    public List<String> faultArgs() {
        List<String> ordered = ordered();
        return ordered.isEmpty() ? List.of() : List.of("--fault=" + String.join(",", ordered));
    }
}
