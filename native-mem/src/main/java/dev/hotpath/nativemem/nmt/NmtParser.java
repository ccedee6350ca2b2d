package dev.hotpath.nativemem.nmt;

import dev.hotpath.nativemem.NativeFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of {@code jcmd PID VM.native_memory summary|detail|summary.diff|detail.diff} as printed by JDK 17 and JDK 21–25.
 *
 * <p>The formats differ in small ways the patterns below absorb: JDK 17 prints {@code (thread #N)} and
 * {@code type=}, JDK 21+ prints {@code (threads #N)} and {@code tag=}; diff output adds {@code +NKB}/{@code -NKB}
 * after each value; sizes follow jcmd's {@code scale=} (KB by default) and are normalised to KiB. The
 * "Virtual memory map" section of detail output is skipped (its regions are not needed for growth diagnosis); the
 * "Details" section is read into {@link NmtSite}s. Guarded by NmtParserTest on outputs of both JDKs.
 */
public final class NmtParser {
    private static final String SIZE = "(\\d+)(B|KB|MB|GB)";
    private static final String DELTA = "(?: ([+-]\\d+)(B|KB|MB|GB))?";
    private static final Pattern HOTPATH_HEADER = Pattern.compile("^# hotpath epochMillis=(\\d+)");
    private static final Pattern PID = Pattern.compile("^(\\d+):\\s*$");
    private static final Pattern TOTAL = Pattern.compile(
            "^Total: reserved=" + SIZE + DELTA + ", committed=" + SIZE + DELTA);
    private static final Pattern TOTAL_MALLOC = Pattern.compile("^\\s*malloc[:=]\\s*" + SIZE);
    private static final Pattern TOTAL_MMAP = Pattern.compile("^\\s*mmap:\\s+reserved=" + SIZE + DELTA + ", committed=" + SIZE);
    private static final Pattern CATEGORY = Pattern.compile(
            "^-\\s+(.+?) \\(reserved=" + SIZE + DELTA + ", committed=" + SIZE + DELTA);
    private static final Pattern THREADS = Pattern.compile("\\(threads? #(\\d+)(?: ([+-]\\d+))?\\)");
    private static final Pattern CLASSES = Pattern.compile("^\\s*\\(classes #(\\d+)(?: ([+-]\\d+))?\\)");
    private static final Pattern MALLOC = Pattern.compile(
            "^\\s*\\(malloc=" + SIZE + DELTA + "(?: (?:tag|type)=[^#)]*)? #(\\d+)");
    private static final Pattern MMAP = Pattern.compile("^\\s*\\(mmap: reserved=" + SIZE + DELTA + ", committed=" + SIZE);
    private static final Pattern ARENA = Pattern.compile("^\\s*\\(arena=" + SIZE);
    private static final Pattern DELTA_ANYWHERE = Pattern.compile("(?:\\d(?:B|KB|MB|GB)|#\\d+) [+-]\\d+");
    private static final Pattern FRAME = Pattern.compile("^\\s*\\[0x[0-9a-fA-F]+\\]\\s*(.*)$");
    // detail: "(malloc=NKB type=Symbol #N)"; detail.diff: "(malloc=NKB type=Symbol +DKB #N +dN)" or, when only the
    // size changed to nothing, "(malloc=0KB type=Symbol -DKB)"
    private static final Pattern SITE_MALLOC = Pattern.compile(
            "\\(malloc=" + SIZE + DELTA + " (?:tag|type)=(.+?)" + DELTA + "(?: #(\\d+)(?: [+-]\\d+)?)?\\)");
    // detail: "(reserved=NKB, committed=NKB Type=GC)"; JDK 25 detail.diff: "(mmap: reserved=NKB, committed=NKB +NKB Type=GC)"
    private static final Pattern SITE_MMAP = Pattern.compile(
            "\\((?:mmap: )?reserved=" + SIZE + DELTA + ", committed=" + SIZE + DELTA + " (?:Type|type|tag|Tag)=([^)]+)\\)");

    private NmtParser() {
    }

    public static NmtReport parse(Path file) throws IOException {
        // NMT prints ASCII; Latin-1 decodes any byte, so a damaged file is parsed (or refused) rather than failing
        // in the decoder with MalformedInputException (ReaderSweepTest, corpus nmt/crash-invalid-utf8).
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(r, file);
        }
    }

    /** @param file named in error messages only */
    public static NmtReport parse(Reader reader, Path file) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        State s = new State();
        String line;
        int lineNo = 0;
        boolean sawNmt = false;
        Section section = Section.SUMMARY;
        List<String> frames = new ArrayList<>();
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1) {
                Matcher h = HOTPATH_HEADER.matcher(line);
                if (h.find()) {
                    s.epochMillis = Long.parseLong(h.group(1));
                    continue;
                }
            }
            if (s.pid < 0 && !sawNmt) {
                Matcher p = PID.matcher(line);
                if (p.matches()) {
                    s.pid = Long.parseLong(p.group(1));
                    continue;
                }
            }
            if (line.contains("Native memory tracking is not enabled")) {
                throw new NativeFormatException(file, lineNo, "native memory tracking was not enabled in the JVM "
                        + "(start it with -XX:NativeMemoryTracking=summary)");
            }
            if (line.startsWith("Native Memory Tracking:")) {
                sawNmt = true;
                continue;
            }
            if (line.startsWith("Virtual memory map:") || line.startsWith("Memory file details")) {
                closeCategory(s);
                section = Section.SKIP;
                continue;
            }
            if (line.startsWith("Details:")) {
                closeCategory(s);
                section = Section.DETAILS;
                s.detail = true;
                continue;
            }
            if (!s.sawDelta && DELTA_ANYWHERE.matcher(line).find()) {
                s.sawDelta = true;
            }
            if (line.contains("peak")) {
                s.sawPeak = true;
            }
            if (section == Section.SUMMARY && line.startsWith("[0x")) {
                // detail.diff prints its sites right after the summary, with no "Details:" line
                closeCategory(s);
                section = Section.DETAILS;
                s.detail = true;
            }
            switch (section) {
                case SUMMARY -> summaryLine(line, s);
                case DETAILS -> detailLine(line, s, frames);
                case SKIP -> { }
            }
        }
        closeCategory(s);
        if (!sawNmt || s.totalSeen == 0) {
            throw new NativeFormatException(file, lineNo == 0 ? "empty file, expected jcmd VM.native_memory output"
                    : "not jcmd VM.native_memory output (no 'Native Memory Tracking:' section with a 'Total:' line)");
        }
        NmtReport.Kind kind = s.detail ? (s.sawDelta ? NmtReport.Kind.DETAIL_DIFF : NmtReport.Kind.DETAIL)
                : (s.sawDelta || !s.sawPeak) ? NmtReport.Kind.DIFF : NmtReport.Kind.SUMMARY;
        return new NmtReport(kind, s.pid, s.epochMillis, s.totalReserved, s.totalCommitted, s.totalReservedDelta,
                s.totalCommittedDelta, s.totalMalloc, s.totalMmapCommitted, s.categories, s.sites);
    }

    private static void summaryLine(String line, State s) {
        Matcher m = TOTAL.matcher(line);
        if (m.find()) {
            s.totalSeen++;
            s.totalReserved = kb(m, 1);
            s.totalReservedDelta = kb(m, 3);
            s.totalCommitted = kb(m, 5);
            s.totalCommittedDelta = kb(m, 7);
            return;
        }
        m = CATEGORY.matcher(line);
        if (m.find()) {
            closeCategory(s);
            s.cat = new CategoryBuilder(m.group(1).trim(), kb(m, 2), kb(m, 6), kb(m, 4), kb(m, 8));
            return;
        }
        if (s.cat == null) {
            m = TOTAL_MALLOC.matcher(line);
            if (m.find()) {
                s.totalMalloc = kb(m, 1);
                return;
            }
            m = TOTAL_MMAP.matcher(line);
            if (m.find()) {
                s.totalMmapCommitted = kb(m, 5);
            }
            return;
        }
        CategoryBuilder c = s.cat;
        if ((m = THREADS.matcher(line)).find() && line.trim().startsWith("(thread")) {
            c.count = Long.parseLong(m.group(1));
            c.countDelta = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        } else if ((m = CLASSES.matcher(line)).find()) {
            c.count = Long.parseLong(m.group(1));
            c.countDelta = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        } else if ((m = MALLOC.matcher(line)).find()) {
            c.mallocKb = kb(m, 1);
            c.mallocCount = Long.parseLong(m.group(5));
        } else if ((m = MMAP.matcher(line)).find()) {
            c.mmapCommittedKb = kb(m, 5);
        } else if ((m = ARENA.matcher(line)).find()) {
            c.arenaKb = kb(m, 1);
        }
    }

    private static void detailLine(String line, State s, List<String> frames) {
        Matcher m = FRAME.matcher(line);
        if (m.find()) {
            String text = m.group(1).trim();
            // JDK 25 prints frames it cannot name as a bare address
            frames.add(text.isEmpty() ? line.trim() : text);
            return;
        }
        if (frames.isEmpty()) {
            return;
        }
        if ((m = SITE_MALLOC.matcher(line)).find()) {
            long count = m.group(8) == null ? 0 : Long.parseLong(m.group(8));
            long delta = m.group(3) != null ? kb(m, 3) : kb(m, 6);
            s.sites.add(new NmtSite(List.copyOf(frames), false, kb(m, 1), count, m.group(5).trim(), delta));
            frames.clear();
        } else if ((m = SITE_MMAP.matcher(line)).find()) {
            s.sites.add(new NmtSite(List.copyOf(frames), true, kb(m, 5), 0, m.group(9).trim(), kb(m, 7)));
            frames.clear();
        } else if (line.isBlank()) {
            frames.clear();
        }
    }

    private static void closeCategory(State s) {
        if (s.cat != null) {
            CategoryBuilder c = s.cat;
            s.categories.put(c.name, new NmtCategory(c.name, c.reserved, c.committed, c.reservedDelta, c.committedDelta,
                    c.mallocKb, c.mallocCount, c.mmapCommittedKb, c.arenaKb, c.count, c.countDelta));
            s.cat = null;
        }
    }

    /** The size in KiB from a (number, unit) group pair starting at {@code group}; 0 when the optional group is absent. */
    private static long kb(Matcher m, int group) {
        String n = m.group(group);
        if (n == null) {
            return 0;
        }
        long v = Long.parseLong(n);
        return switch (m.group(group + 1)) {
            case "B" -> v / 1024;
            case "MB" -> v * 1024;
            case "GB" -> v * 1024 * 1024;
            default -> v;
        };
    }

    private enum Section { SUMMARY, SKIP, DETAILS }

    private static final class State {
        long pid = -1;
        long epochMillis = -1;
        int totalSeen;
        long totalReserved, totalCommitted, totalReservedDelta, totalCommittedDelta, totalMalloc, totalMmapCommitted;
        boolean detail, sawDelta, sawPeak;
        CategoryBuilder cat;
        final Map<String, NmtCategory> categories = new LinkedHashMap<>();
        final List<NmtSite> sites = new ArrayList<>();
    }

    private static final class CategoryBuilder {
        final String name;
        final long reserved, committed, reservedDelta, committedDelta;
        long mallocKb, mallocCount, mmapCommittedKb, arenaKb, count, countDelta;

        CategoryBuilder(String name, long reserved, long committed, long reservedDelta, long committedDelta) {
            this.name = name;
            this.reserved = reserved;
            this.committed = committed;
            this.reservedDelta = reservedDelta;
            this.committedDelta = committedDelta;
        }
    }
}
