package dev.hotpath.alloc.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The few {@code /proc} reads the runner needs, each tolerant of the process vanishing mid-read (a process can exit
 * between listing and reading; that is normal here, not an error).
 *
 * <p>Field positions are from proc(5): in {@code /proc/PID/stat} the command name (field 2) may contain spaces and
 * parentheses, so fields are counted from the last {@code ')'}.
 */
public final class ProcFs {
    /** {@code PF_EXITING} from the kernel's sched.h: set while a task tears down its address space. */
    public static final long PF_EXITING = 0x4;
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** {@code VmRSS} and {@code VmHWM} in kB; {@code {-1,-1}} when the process is gone or a zombie (no mm left). */
    public static long[] rssAndHwmKb(long pid) {
        long[] out = {-1, -1};
        String text = read(PROC.resolve(Long.toString(pid)).resolve("status"));
        if (text == null) {
            return out;
        }
        out[0] = statusKb(text, "VmRSS:");
        out[1] = statusKb(text, "VmHWM:");
        return out;
    }

    static long statusKb(String status, String key) {
        int i = status.indexOf(key);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        boolean digits = false;
        for (int j = i + key.length(); j < status.length(); j++) {
            char c = status.charAt(j);
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                digits = true;
            } else if (digits || c == '\n') {
                break;
            }
        }
        return digits ? v : -1;
    }

    /** The fields of a {@code /proc/PID/stat} line from field 3 on ({@code [0]} is field 3, the state). */
    public static String[] statFieldsFrom3(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0 || close + 2 > statLine.length()) {
            return null;
        }
        return statLine.substring(close + 2).trim().split(" ");
    }

    /** Field {@code n} (1-based, as numbered in proc(5)) of a stat line split by {@link #statFieldsFrom3}. */
    public static long field(String[] from3, int n) {
        int i = n - 3;
        if (from3 == null || i < 0 || i >= from3.length) {
            return -1;
        }
        try {
            return Long.parseLong(from3[i]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True when the process is tearing down (its RSS is on the way to zero and says nothing about the workload). */
    public static boolean exiting(long pid) {
        String text = read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        if (text == null) {
            return true;
        }
        long flags = field(statFieldsFrom3(text), 9);
        return flags >= 0 && (flags & PF_EXITING) != 0;
    }

    /**
     * Direct children of a process, through {@code /proc/PID/task/TID/children} (each thread lists the children it
     * forked). Far cheaper than scanning every process in {@code /proc}, which matters when sampling every 50 ms on a
     * shared machine.
     */
    public static void children(long pid, java.util.function.LongConsumer sink) {
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path task : ds) {
                String text = read(task.resolve("children"));
                if (text == null) {
                    continue;
                }
                int start = -1;
                for (int i = 0; i <= text.length(); i++) {
                    boolean digit = i < text.length() && Character.isDigit(text.charAt(i));
                    if (digit && start < 0) {
                        start = i;
                    } else if (!digit && start >= 0) {
                        sink.accept(Long.parseLong(text.substring(start, i)));
                        start = -1;
                    }
                }
            }
        } catch (IOException e) {
            // the process exited while we listed its threads: it has no children to report
        }
    }

    static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
