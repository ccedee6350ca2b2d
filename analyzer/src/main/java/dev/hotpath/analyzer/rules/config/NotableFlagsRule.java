package dev.hotpath.analyzer.rules.config;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code config.notable-flags}: JVM options that change how the service performs in ways its owners rarely intend,
 * one finding per option, read from the JVM's arguments (JFR {@code jdk.JVMInformation.jvmArguments}, which include
 * {@code JAVA_TOOL_OPTIONS}); the last occurrence of an option wins, as in the JVM.
 * <ul>
 *   <li>{@code -Xint}: no JIT compiler at all (critical).</li>
 *   <li>{@code -XX:TieredStopAtLevel=1..3}: C2 never compiles, hot code stays at C1 quality (warning);
 *       {@code -XX:-TieredCompilation}: every method interpreted until C2 compiles it, a long warm-up (info).</li>
 *   <li>{@code -XX:-UseContainerSupport}: the JVM sizes heap, GC threads and pools from the host, not the container's
 *       limits (warning).</li>
 *   <li>{@code -XX:+DisableExplicitGC}: also disables the collection that NIO's direct-buffer allocator asks for when
 *       {@code -XX:MaxDirectMemorySize} is reached, so a service of direct buffers can fail with
 *       {@code OutOfMemoryError: Direct buffer memory} where it would have recovered (info).</li>
 *   <li>Compressed object pointers off ({@code -XX:-UseCompressedOops}, or a heap of 32 GiB or more): every reference
 *       takes 8 bytes, so a heap a little above 32 GiB holds less than one a little below (info).</li>
 * </ul>
 * Needs: {@link ConfigSummary}. Evidence: option, value, heapMaxMb where it matters.
 */
public final class NotableFlagsRule implements Rule {
    public static final String ID = "config.notable-flags";

    /** The largest heap with compressed oops on the default 8-byte object alignment (4G references × 8 bytes). */
    static final long COMPRESSED_OOPS_LIMIT = 32L << 30;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.CONFIG;
    }

    @Override
    public String description() {
        return "JVM options that cost performance or safety in ways rarely intended (-Xint, C1 only, no container "
                + "support, -XX:+DisableExplicitGC, no compressed oops)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of();
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (ConfigSummary c : ctx.summaries(ConfigSummary.class)) {
            if (c.jvmArguments() == null || c.jvmArguments().isBlank()) {
                continue;
            }
            Map<String, String> opts = options(c.jvmArguments());
            for (Finding.Builder f : judge(opts, c)) {
                ctx.emit(f.source(c.source().sourceName()).build());
            }
        }
    }

    private static List<Finding.Builder> judge(Map<String, String> opts, ConfigSummary c) {
        List<Finding.Builder> out = new ArrayList<>();
        if (opts.containsKey("-Xint")) {
            out.add(finding(Severity.CRITICAL, "-Xint", "", "The JVM runs interpreted only (-Xint)",
                    "With -Xint no JIT compiler runs: every method is interpreted for the whole run, which is slower"
                            + " than compiled code by an order of magnitude or more.",
                    "Remove -Xint (it is a debugging option)."));
        }
        String level = opts.get("TieredStopAtLevel");
        if (level != null && isInt(level) && Integer.parseInt(level) >= 0 && Integer.parseInt(level) < 4
                && !opts.containsKey("-Xint")) {
            out.add(finding(Severity.WARNING, "-XX:TieredStopAtLevel", level,
                    "The C2 compiler is off (-XX:TieredStopAtLevel=" + level + ")",
                    "Compilation stops at tier " + level + ": hot methods never reach C2, the optimising compiler,"
                            + " so the service runs its hot paths at C1 quality for the whole run. The option shortens"
                            + " start-up of short-lived tools and tests; a long-running service pays for it.",
                    "Remove -XX:TieredStopAtLevel for the service."));
        } else if ("false".equals(opts.get("TieredCompilation")) && !opts.containsKey("-Xint")) {
            out.add(finding(Severity.INFO, "-XX:-TieredCompilation", "false", "Tiered compilation is off",
                    "With -XX:-TieredCompilation methods are interpreted until C2 compiles them: warm-up takes"
                            + " longer than with the default tiered compilation, for the same peak speed.",
                    "Remove -XX:-TieredCompilation unless it was measured to help."));
        }
        if ("false".equals(opts.get("UseContainerSupport"))) {
            out.add(finding(Severity.WARNING, "-XX:-UseContainerSupport", "false",
                    "Container support is off (-XX:-UseContainerSupport)",
                    "The JVM ignores the container's memory and CPU limits: it sizes its default heap, its GC"
                            + " threads and the common pool from the whole host, so it can outgrow the container's"
                            + " memory limit (an OOM kill) or time-slice more threads than its CPU quota runs.",
                    "Remove -XX:-UseContainerSupport; to size the heap against the container, use"
                            + " -XX:MaxRAMPercentage."));
        }
        if ("true".equals(opts.get("DisableExplicitGC"))) {
            out.add(finding(Severity.INFO, "-XX:+DisableExplicitGC", "true",
                    "System.gc() is disabled (-XX:+DisableExplicitGC)",
                    "Besides the application's System.gc() calls, this disables the collection NIO asks for when"
                            + " direct buffers reach -XX:MaxDirectMemorySize (java.nio.Bits.reserveMemory): unreferenced"
                            + " direct buffers are then freed only when a collection happens to run, and a service that"
                            + " allocates direct buffers can fail with OutOfMemoryError: Direct buffer memory where it"
                            + " would have recovered.",
                    "If the aim is to stop System.gc() pausing the application, prefer"
                            + " -XX:+ExplicitGCInvokesConcurrent (G1, Shenandoah; ZGC's System.gc() is concurrent"
                            + " already); or keep the flag and reuse direct buffers from a pool."));
        }
        boolean oopsOff = "false".equals(opts.get("UseCompressedOops"));
        // 4-byte references address 4G objects' worth of alignment units: 32 GiB at the default 8-byte alignment
        String align = opts.get("ObjectAlignmentInBytes");
        long limit = align != null && isInt(align) && Integer.parseInt(align) >= 8
                ? COMPRESSED_OOPS_LIMIT / 8 * Integer.parseInt(align) : COMPRESSED_OOPS_LIMIT;
        if (oopsOff || c.heapMaxBytes() >= limit) {
            double gib = round1(c.heapMaxBytes() / (double) (1L << 30));
            String why = oopsOff ? "-XX:-UseCompressedOops turns them off" : "a heap of " + fmt(gib)
                    + " GiB is past the " + (limit >> 30) + " GiB that 4-byte references can address";
            Finding.Builder f = finding(Severity.INFO, oopsOff ? "-XX:-UseCompressedOops" : "-Xmx", oopsOff
                            ? "false" : fmt(gib) + "g", "Compressed object pointers are off",
                    "Every object reference takes 8 bytes instead of 4 (" + why + "), so objects made mostly of"
                            + " references (collections, object graphs) grow, and a heap a little above the limit"
                            + " holds less than one a little below it.",
                    oopsOff ? "Remove -XX:-UseCompressedOops." : "Use a heap just under " + (limit >> 30) + " GiB, one"
                            + " well above it so the extra room pays for the wider references, or a larger"
                            + " -XX:ObjectAlignmentInBytes (16 keeps 4-byte references up to 64 GiB).");
            if (c.heapMaxBytes() > 0) {
                f.evidence("heapMaxGib", gib);
            }
            out.add(f);
        }
        return out;
    }

    private static Finding.Builder finding(Severity severity, String option, String value, String title,
                                           String summary, String advice) {
        return Finding.builder(ID, Category.CONFIG).severity(severity).title(title).summary(summary)
                .evidence("option", option).evidence("value", value).recommendation(advice);
    }

    /**
     * The arguments as the JVM reads them, the last occurrence winning: {@code -XX:+Name} / {@code -XX:-Name} as
     * "true"/"false" under {@code Name}, {@code -XX:Name=value} as the value, and other options under their own
     * text ({@code -Xint}).
     */
    static Map<String, String> options(String arguments) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String arg : arguments.trim().split("\\s+")) {
            if (arg.startsWith("-XX:+") || arg.startsWith("-XX:-")) {
                m.put(arg.substring(5), arg.charAt(4) == '+' ? "true" : "false");
            } else if (arg.startsWith("-XX:") && arg.indexOf('=') > 4) {
                m.put(arg.substring(4, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.equals("-Xint")) {
                m.put(arg, "");
            } else if (arg.equals("-Xmixed") || arg.equals("-Xcomp")) {
                m.remove("-Xint");
            }
        }
        return m;
    }

    private static boolean isInt(String s) {
        return !s.isEmpty() && s.length() < 4 && s.chars().allMatch(Character::isDigit);
    }
}
