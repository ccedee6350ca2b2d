package dev.hotpath.cli.testplugins;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test summary: samples per leaf frame of a collapsed-stacks file. */
public record HotFrames(Artifact source, Map<String, Long> samplesByLeaf, long total) implements Summary {
    @Override
    public String kind() {
        return "test.hot-frames";
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("samplesByLeaf", samplesByLeaf);
        return m;
    }
}
