package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.jemalloc.HeapProfile;
import dev.hotpath.nativemem.jemalloc.HeapProfileParser;
import dev.hotpath.nativemem.jemalloc.HeapStack;
import dev.hotpath.nativemem.symbols.ElfSymbolCache;
import dev.hotpath.nativemem.symbols.NativeFrame;
import dev.hotpath.nativemem.symbols.NativeSymbolizer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A jemalloc {@code heap_v2} profile → {@link JemallocProfileSummary}, symbolized with hotpath's own ELF reader over
 * the profile's {@code MAPPED_LIBRARIES} (jeprof is not needed). jemalloc's own frames (its backtrace and sampling
 * code, always innermost) are dropped; stacks that are the same function by function are merged. The ELF symbol
 * tables are read once per analysis (this ingester's lifetime) and shared by all profiles of the run directory.
 */
public final class JemallocProfileIngester implements Ingester {
    static final int TOP = 10;
    private static final Pattern NAME = Pattern.compile("\\.(\\d+)\\.(\\d+)\\.([fium])(?:\\d+)?\\.heap$");
    private final ElfSymbolCache elfFiles = new ElfSymbolCache();

    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.JEMALLOC);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        HeapProfile p;
        try {
            p = HeapProfileParser.parse(artifact.path());
        } catch (NativeFormatException e) {
            throw NativeInputs.unusable(artifact, e);
        }
        if (p.maps().size() == 0) {
            ctx.note(artifact.sourceName() + ": no MAPPED_LIBRARIES section; stacks left unsymbolized");
        }
        NativeSymbolizer sym = new NativeSymbolizer(p.maps(), elfFiles);
        Map<String, double[]> bytesByKey = new HashMap<>();
        Map<String, NativeStack> stackByKey = new HashMap<>();
        for (HeapStack s : p.stacks()) {
            List<String> frames = new ArrayList<>();
            String jni = null;
            String leaf = "";
            for (int i = 0; i < s.addresses().length; i++) {
                NativeFrame f = sym.symbolize(s.addresses()[i], i > 0);
                if (frames.isEmpty() && f.library().startsWith("libjemalloc")) {
                    continue;
                }
                frames.add(f.toString());
                if (leaf.isEmpty() && f.function() != null) {
                    leaf = f.function();
                }
                if (jni == null && f.isJni()) {
                    jni = f.function();
                }
            }
            String key = String.join(";", frames);
            bytesByKey.computeIfAbsent(key, k -> new double[1])[0] += s.bytes();
            String culprit = jni != null ? jni : leaf;
            stackByKey.putIfAbsent(key, new NativeStack(List.copyOf(frames), culprit, leaf, 0));
        }
        List<NativeStack> all = new ArrayList<>();
        for (Map.Entry<String, NativeStack> e : stackByKey.entrySet()) {
            NativeStack s = e.getValue();
            all.add(new NativeStack(s.frames(), s.culprit(), s.leaf(), bytesByKey.get(e.getKey())[0]));
        }
        all.sort((a, b) -> Double.compare(b.bytes(), a.bytes()));
        Matcher m = NAME.matcher(artifact.path().getFileName().toString());
        long seq = m.find() ? Long.parseLong(m.group(2)) : -1;
        boolean fin = m.find(0) && m.group(3).equals("f");
        ctx.add(new JemallocProfileSummary(artifact, NativeInputs.mtime(artifact), seq, fin, p.totalBytes(),
                List.copyOf(all.subList(0, Math.min(TOP, all.size())))));
    }
}
