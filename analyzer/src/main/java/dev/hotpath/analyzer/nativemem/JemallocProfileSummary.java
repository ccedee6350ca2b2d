package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One jemalloc heap profile: estimated live bytes in total and for the largest stacks, symbolized.
 *
 * @param sequence the dump's sequence number from its name ({@code jeprof.PID.SEQ.i3.heap}), -1 if not in the name
 * @param top      largest stacks first, at most {@link JemallocProfileIngester#TOP}
 */
public record JemallocProfileSummary(Artifact source, long epochMillis, long sequence, boolean finalDump,
                                     double totalBytes, List<NativeStack> top) implements Summary {
    public static final String KIND = "native.jemalloc-profile";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochMillis", epochMillis);
        m.put("totalBytes", Math.round(totalBytes));
        List<Object> stacks = new ArrayList<>();
        for (NativeStack s : top) {
            stacks.add(Map.of("culprit", s.culprit(), "leaf", s.leaf(), "bytes", Math.round(s.bytes()), "frames", s.frames()));
        }
        m.put("top", stacks);
        return m;
    }
}
