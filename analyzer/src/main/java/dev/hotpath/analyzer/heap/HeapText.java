package dev.hotpath.analyzer.heap;

import java.io.PrintWriter;
import java.util.Locale;

/** Renders a {@link HeapReport} for a terminal: notes, suspects first, then top dominators as a tree, growth, waste, histogram. */
public final class HeapText {
    private HeapText() {
    }

    public static void print(HeapReport r, PrintWriter out) {
        out.printf(Locale.ROOT, "%s: %,d objects, %,d classes, %s shallow, %s reachable, %,d GC roots%n", r.dump(), r.objects(),
                r.classes(), Bytes.format(r.shallowBytes()), Bytes.format(r.reachableBytes()), r.gcRoots());
        for (String n : r.notes()) {
            out.println("note: " + n);
        }
        out.println();
        out.println("Leak suspects");
        if (r.suspects().isEmpty()) {
            out.println("  none: no single holder retains the suspect threshold");
        }
        int i = 1;
        for (HeapReport.Suspect s : r.suspects()) {
            out.printf(Locale.ROOT, "  %d. %s%n", i++, s.title());
            out.printf(Locale.ROOT, "     holder: %s%n", s.holder());
            HeapReport.Accumulation a = s.accumulation();
            out.printf(Locale.ROOT, "     accumulation point: %s (%s) with %,d elements of %s%n", a.className(),
                    Bytes.format(a.retainedBytes()), a.elements(), a.elementClass().isEmpty() ? "-" : a.elementClass());
            if (!s.pathToRoot().isEmpty()) {
                out.println("     path to GC root:");
                for (String p : s.pathToRoot()) {
                    out.println("       " + p);
                }
            }
        }
        out.println();
        out.println("Top dominators (retained, share of reachable heap)");
        long total = Math.max(1, r.reachableBytes());
        for (HeapReport.DominatorRow d : r.dominators()) {
            out.printf(Locale.ROOT, "  %s%10s %5.1f%%  %s@0x%x%s%n", "  ".repeat(d.depth()), Bytes.format(d.retainedBytes()),
                    100.0 * d.retainedBytes() / total, d.className(), d.objectId(), d.holder() == null ? "" : "  ← " + d.holder());
        }
        if (!r.holderGrowth().isEmpty() || !r.growth().isEmpty()) {
            out.println();
            out.println("Growth since baseline, by holder");
            for (HeapReport.HolderGrowth g : r.holderGrowth()) {
                out.printf(Locale.ROOT, "  %+,d elements (%,d → %,d %s), %s retained  %s%n", g.elementsAfter() - g.elementsBefore(),
                        g.elementsBefore(), g.elementsAfter(), g.elementClass(), signed(g.retainedAfter() - g.retainedBefore()),
                        g.holder());
            }
            out.println("Growth since baseline, by class");
            for (HeapReport.GrowthRow g : r.growth()) {
                out.printf(Locale.ROOT, "  %+,12d instances %12s  %s%s%n", g.instancesDelta(), signed(g.bytesDelta()), g.className(),
                        g.holder().isEmpty() ? "" : "  (held by " + g.holder() + ")");
            }
        }
        if (!r.waste().isEmpty()) {
            out.println();
            out.println("Waste");
            for (HeapReport.WasteItem w : r.waste()) {
                out.printf(Locale.ROOT, "  %10s  %s%n", Bytes.format(w.wastedBytes()), w.description());
                for (String e : w.examples()) {
                    out.println("              " + e);
                }
            }
        }
        out.println();
        out.println("Histogram (by retained bytes)");
        out.printf(Locale.ROOT, "  %12s %12s %12s  %s%n", "instances", "shallow", "retained", "class");
        for (HeapReport.ClassRow c : r.histogram()) {
            out.printf(Locale.ROOT, "  %,12d %12s %12s  %s%n", c.instances(), Bytes.format(c.shallowBytes()),
                    Bytes.format(c.retainedBytes()), c.className());
        }
        out.flush();
    }

    private static String signed(long bytes) {
        return (bytes >= 0 ? "+" : "") + Bytes.format(bytes);
    }
}
