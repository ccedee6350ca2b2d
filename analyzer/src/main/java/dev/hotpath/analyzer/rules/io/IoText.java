package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;

import java.util.Locale;

/** Number formatting shared by the io rules' titles (the exact numbers are in the evidence). */
final class IoText {
    private IoText() {
    }

    static String nanos(long ns) {
        if (ns >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (ns >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (ns >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return ns + " ns";
    }

    static String bytes(double b) {
        if (b >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (1 << 30));
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String describe(IoCallSite c) {
        return c.kind() + " " + c.op() + " at " + c.site() + " on " + c.target();
    }

    /** The sentence saying how many further findings of a rule were not emitted; empty when none. */
    static String omitted(int n, String what) {
        return n == 0 ? "" : " " + n + " more " + what + (n == 1 ? "" : "s") + " like this one are not listed.";
    }
}
