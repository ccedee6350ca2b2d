package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognises the text artifacts from the first lines of a file: hotpath RSS timelines, jemalloc {@code heap_v2}
 * profiles and {@code malloc_stats_print} output, NMT reports ({@code jcmd VM.native_memory}), unified JVM logs of the
 * {@code gc} tags (with or without decorations) and collapsed stacks.
 */
final class TextProbe {
    static final String RSS_FIRST_LINE = "# hotpath-rss v1";
    private static final Pattern HEAP_V2 = Pattern.compile("heap_v2/\\d+");
    private static final String JEMALLOC_STATS = "___ Begin jemalloc statistics ___";
    private static final String NMT_MARK = "Native Memory Tracking:";
    /** An NMT diff prints deltas after values: {@code reserved=123KB +4KB}. */
    private static final Pattern NMT_DELTA = Pattern.compile("=\\d+KB [+-]\\d+KB");
    /** The tags decoration of a gc or safepoint log line ({@code gc}, {@code gc,phases   }, {@code safepoint}). */
    private static final Pattern GC_TAGS = Pattern.compile("(gc|safepoint)(,[a-z0-9]+)*\\s*");
    /** Undecorated unified GC logging ({@code -Xlog:gc*:file=F:none}): the collector line or a numbered GC event. */
    private static final Pattern GC_PLAIN = Pattern.compile("^(Using (Serial|Parallel|G1|Shenandoah|The Z Garbage Collector|Epsilon)\\b.*|GC\\(\\d+\\) .*)");
    private static final Pattern COLLAPSED = Pattern.compile("^\\S.* \\d+$");

    private TextProbe() {
    }

    /** Returns the detection, or {@code null} when no text type matches. */
    static Detection detect(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        String first = lines.get(0);
        if (first.equals(RSS_FIRST_LINE)) {
            return Detection.of(ArtifactType.RSS);
        }
        if (HEAP_V2.matcher(first).matches()) {
            return Detection.of(ArtifactType.JEMALLOC, Map.of("samplePeriodBytes",
                    Long.parseLong(first.substring(first.indexOf('/') + 1))));
        }
        Detection nmt = nmt(lines);
        if (nmt != null) {
            return nmt;
        }
        if (dev.hotpath.analyzer.io.ElbenchoResultReader.isCsvHeader(first.strip())) {
            return Detection.of(ArtifactType.FIO, Map.of("tool", "elbencho"));
        }
        if (first.strip().startsWith("[") && lines.stream().anyMatch(l -> l.contains("\"IOPS [last]\""))) {
            return Detection.of(ArtifactType.FIO, Map.of("tool", "elbencho")); // elbencho --jsonfile: an array of rows
        }
        for (String line : lines) {
            if (line.contains(JEMALLOC_STATS)) {
                return Detection.of(ArtifactType.JEMALLOC_STATS);
            }
        }
        Detection gc = gcLog(lines);
        if (gc != null) {
            return gc;
        }
        return collapsed(lines);
    }

    private static Detection nmt(List<String> lines) {
        int limit = Math.min(lines.size(), 8);
        boolean marked = false;
        for (int i = 0; i < limit && !marked; i++) {
            marked = lines.get(i).trim().equals(NMT_MARK);
        }
        if (!marked) {
            return null;
        }
        boolean detail = false;
        boolean diff = false;
        for (String line : lines) {
            // detail.diff prints its sites ("[0x…]" frames) right after the summary, with no "Details:" line
            detail |= line.startsWith("Virtual memory map:") || line.startsWith("Details:") || line.startsWith("[0x");
            diff |= NMT_DELTA.matcher(line).find();
        }
        String mode = (detail ? "detail" : "summary") + (diff ? ".diff" : "");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("mode", mode);
        String pidLine = lines.get(0).trim();
        if (pidLine.matches("\\d+:")) {
            attrs.put("pid", Long.parseLong(pidLine.substring(0, pidLine.length() - 1)));
        }
        return Detection.of(ArtifactType.NMT, attrs);
    }

    /**
     * A unified log of the gc (or safepoint) tags. Decorations are any run of leading {@code [...]} groups in any
     * order ({@code -Xlog:gc*:file=F:pid,tid} or {@code :time,uptimemillis} carry no tags and no level), so the tags
     * group is looked for among them and, when there is none, the message after them is matched.
     */
    private static Detection gcLog(List<String> lines) {
        int decorated = 0;
        int plain = 0;
        for (String line : lines) {
            int i = 0;
            boolean gcTags = false;
            while (i < line.length() && line.charAt(i) == '[') {
                int end = line.indexOf(']', i);
                if (end < 0) {
                    break;
                }
                gcTags |= GC_TAGS.matcher(line.substring(i + 1, end)).matches();
                i = end + 1;
            }
            if (gcTags || GC_PLAIN.matcher(line.substring(i).trim()).matches()) {
                if (i > 0) {
                    decorated++;
                } else {
                    plain++;
                }
            }
        }
        if (decorated > 0 && decorated >= plain) {
            return Detection.of(ArtifactType.GCLOG, Map.of("decorations", true));
        }
        if (plain > 0) {
            return Detection.of(ArtifactType.GCLOG, Map.of("decorations", false));
        }
        return null;
    }

    /** Every line {@code frame;frame;... count}; at least one line with a caller, so prose ending in a number is not taken. */
    private static Detection collapsed(List<String> lines) {
        boolean nested = false;
        int stacks = 0;
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (!COLLAPSED.matcher(line).matches()) {
                return null;
            }
            nested |= line.indexOf(';') > 0;
            stacks++;
        }
        return nested && stacks > 0 ? Detection.of(ArtifactType.COLLAPSED) : null;
    }
}
