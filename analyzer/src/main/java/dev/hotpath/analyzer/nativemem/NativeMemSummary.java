package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.nativemem.asprof.NativeMemProfile;
import dev.hotpath.nativemem.asprof.UnfreedStack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** async-profiler {@code nativemem}: native memory never freed, by stack (Java frames included). */
public record NativeMemSummary(Artifact source, NativeMemProfile profile) implements Summary {
    public static final String KIND = "native.nativemem";

    @Override
    public String kind() {
        return KIND;
    }

    /** The stack as findings show it: culprit = the application frame, else the first Java frame, else the leaf. */
    public static NativeStack stack(UnfreedStack s) {
        String culprit = !s.appFrame().isEmpty() ? s.appFrame() : !s.javaFrame().isEmpty() ? s.javaFrame() : s.nativeLeaf();
        return new NativeStack(s.frames(), culprit, s.nativeLeaf(), s.bytes());
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startMillis", profile.startMillis());
        m.put("cutoffMillis", profile.cutoffMillis());
        m.put("unfreedBytes", profile.unfreedBytes());
        List<Object> top = new ArrayList<>();
        for (UnfreedStack s : profile.stacks()) {
            top.add(Map.of("bytes", s.bytes(), "count", s.count(), "stacks", s.stacks(), "frames", s.frames()));
        }
        m.put("stacks", top);
        return m;
    }
}
