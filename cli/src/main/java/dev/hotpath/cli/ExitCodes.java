package dev.hotpath.cli;

/** The process exit codes, part of the CLI contract (DESIGN.md); CI scripts branch on them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** {@code analyze --fail-on}: a finding at or above the given severity exists. */
    public static final int FINDINGS = 1;
    /** A bad option, a missing argument, an invalid {@code --set}. */
    public static final int USAGE = 2;
    /** Input that cannot be used (the message names the file and what is wrong), or a workspace that cannot be used. */
    public static final int UNUSABLE_INPUT = 3;
    /** An unexpected failure inside hotpath; shares code 3 so CI treats it as "no verdict". */
    public static final int INTERNAL_ERROR = 3;

    private ExitCodes() {
    }
}
