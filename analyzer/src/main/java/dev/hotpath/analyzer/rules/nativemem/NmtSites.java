package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.nativemem.nmt.NmtReport;
import dev.hotpath.nativemem.nmt.NmtSite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What NMT {@code detail} output says about who allocates: the native call sites of one category that grew, either
 * between two detail outputs or, in a {@code detail.diff}, since the baseline. A site is named by its first frame
 * that is not allocation plumbing ({@code os::malloc}, arenas, NMT itself), and by the Java-facing entry point below
 * it when there is one: a JNI function ({@code Java_java_util_zip_Inflater_init} → {@code java.util.zip.Inflater.init})
 * or one of the JVM's own entry points ({@code JVM_InternString} → {@code java.lang.String.intern}).
 */
final class NmtSites {
    /** Frames of the allocator and of NMT, never the culprit. */
    private static final List<String> PLUMBING = List.of("os::", "AllocateHeap", "ReallocateHeap", "CHeapObj",
            "Arena::", "Chunk::", "ChunkPool", "MallocTracker", "MemTracker", "MallocSiteTable", "NativeCallStack",
            "GrowableArrayCHeapAllocator", "operator new", "ReservedSpace", "VirtualSpace", "MemoryFileTracker",
            "VirtualMemoryTracker", "ResourceArea", "resource_allocate");
    /** JVM entry points of JDK core methods that show up under leaking sites. */
    private static final Map<String, String> JVM_ENTRIES = Map.of(
            "JVM_InternString", "java.lang.String.intern",
            "JVM_StartThread", "java.lang.Thread.start",
            "JVM_DefineClass", "java.lang.ClassLoader.defineClass",
            "JVM_DefineClassWithSource", "java.lang.ClassLoader.defineClass",
            "JVM_LookupDefineClass", "java.lang.invoke.MethodHandles.Lookup.defineClass",
            "Unsafe_AllocateMemory0", "jdk.internal.misc.Unsafe.allocateMemory (direct ByteBuffers)",
            "Unsafe_ReallocateMemory0", "jdk.internal.misc.Unsafe.reallocateMemory",
            "Unsafe_DefineClass0", "jdk.internal.misc.Unsafe.defineClass");
    private static final Pattern OFFSET = Pattern.compile("\\+0x[0-9a-fA-F]+$");

    /** One site's growth, KiB. */
    record Growth(NmtSite site, long deltaKb) {
        String name() {
            return NmtSites.name(site.frames());
        }
    }

    private NmtSites() {
    }

    /**
     * Sites of {@code category} that grew from {@code first} to {@code last} (both detail outputs), largest first.
     * A site is the same in both when its frames and category are.
     */
    static List<Growth> between(NmtReport first, NmtReport last, String category) {
        Map<List<String>, Long> before = new HashMap<>();
        for (NmtSite s : first.sites()) {
            if (s.category().equals(category)) {
                before.merge(key(s), s.kb(), Long::sum);
            }
        }
        Map<List<String>, Growth> grew = new HashMap<>();
        for (NmtSite s : last.sites()) {
            if (s.category().equals(category)) {
                List<String> k = key(s);
                Growth g = grew.get(k);
                long kb = (g == null ? 0 : g.deltaKb()) + s.kb();
                grew.put(k, new Growth(s, kb));
            }
        }
        List<Growth> out = new ArrayList<>();
        for (Map.Entry<List<String>, Growth> e : grew.entrySet()) {
            long d = e.getValue().deltaKb() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                out.add(new Growth(e.getValue().site(), d));
            }
        }
        out.sort(Comparator.comparingLong(Growth::deltaKb).reversed().thenComparing(Growth::name));
        return out;
    }

    /** Sites of {@code category} that grew since the baseline of a {@code detail.diff}, largest first. */
    static List<Growth> sinceBaseline(NmtReport diff, String category) {
        List<Growth> out = new ArrayList<>();
        for (NmtSite s : diff.sites()) {
            if (s.category().equals(category) && s.deltaKb() > 0) {
                out.add(new Growth(s, s.deltaKb()));
            }
        }
        out.sort(Comparator.comparingLong(Growth::deltaKb).reversed().thenComparing(Growth::name));
        return out;
    }

    /** "64.0 MB under A, 32.0 MB under B and 8.0 MB under C": the first {@code max} sites. */
    static String describe(List<Growth> sites, int max) {
        int n = Math.min(max, sites.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Growth g = sites.get(i);
            sb.append(i == 0 ? "" : i == n - 1 ? " and " : ", ")
                    .append(UntrackedNativeGrowthRule.fmt(g.deltaKb() / 1024.0)).append(" MB under ")
                    .append(g.name());
        }
        return sb.toString();
    }

    /** Frames without addresses' offsets (a site's frames are the same from run to run; the offsets are too). */
    private static List<String> key(NmtSite s) {
        List<String> k = new ArrayList<>(s.frames().size() + 1);
        k.add(s.mmap() ? "mmap" : "malloc");
        for (String f : s.frames()) {
            k.add(function(f));
        }
        return k;
    }

    /**
     * A site as a reader wants it: {@code StringTable::do_intern ← java.lang.String.intern}. Frames NMT could not
     * name (a bare {@code [0x…]}, usually JIT-compiled Java code) are skipped.
     */
    static String name(List<String> frames) {
        String culprit = null;
        String entry = null;
        for (String f : frames) {
            String fn = function(f);
            if (fn.startsWith("[0x") || fn.isEmpty()) {
                continue;
            }
            if (culprit == null && PLUMBING.stream().noneMatch(fn::startsWith)) {
                culprit = fn;
            }
            String e = entryPoint(fn);
            if (e != null) {
                entry = e;
                break;
            }
        }
        if (culprit == null) {
            culprit = frames.isEmpty() ? "(no frames)" : function(frames.get(0));
        }
        return entry == null || entry.equals(culprit) ? culprit : culprit + " ← " + entry;
    }

    /** The function of a frame: without its offset and its parameter list. */
    static String function(String frame) {
        String f = OFFSET.matcher(frame.trim()).replaceFirst("");
        int paren = f.indexOf('(');
        return paren > 0 ? f.substring(0, paren) : f;
    }

    /** The Java method behind a JNI or JVM entry point, or null. */
    static String entryPoint(String fn) {
        String known = JVM_ENTRIES.get(fn);
        if (known != null) {
            return known;
        }
        if (fn.startsWith("Java_")) {
            return jniName(fn.substring(5));
        }
        return null;
    }

    private static final Pattern UNICODE = Pattern.compile("_0([0-9a-fA-F]{4})");

    /**
     * The JNI short name's {@code pkg_Class_method} back to {@code pkg.Class.method} (JNI spec, "Resolving Native
     * Method Names": {@code _1} is '_', {@code _2} ';', {@code _3} '[', {@code _0xxxx} a Unicode character). The
     * long form's {@code __} signature part is dropped.
     */
    static String jniName(String mangled) {
        int sig = mangled.indexOf("__");
        String m = sig >= 0 ? mangled.substring(0, sig) : mangled;
        StringBuilder sb = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c != '_') {
                sb.append(c);
            } else if (i + 1 < m.length() && m.charAt(i + 1) == '1') {
                sb.append('_');
                i++;
            } else if (i + 1 < m.length() && (m.charAt(i + 1) == '2' || m.charAt(i + 1) == '3')) {
                sb.append(m.charAt(i + 1) == '2' ? ';' : '[');
                i++;
            } else if (i + 5 < m.length() && m.charAt(i + 1) == '0') {
                Matcher u = UNICODE.matcher(m).region(i, Math.min(m.length(), i + 6));
                if (u.lookingAt()) {
                    sb.append((char) Integer.parseInt(u.group(1), 16));
                    i += 5;
                } else {
                    sb.append('.');
                }
            } else {
                sb.append('.');
            }
        }
        return sb.toString();
    }
}
