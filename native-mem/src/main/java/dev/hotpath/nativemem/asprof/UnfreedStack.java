package dev.hotpath.nativemem.asprof;

import java.util.List;

/**
 * Native memory allocated under one application frame (or, without one, one stack) and not freed by the cut-off.
 *
 * @param frames     the stack that holds the most of it, innermost first; native frames as {@code function (library)},
 *                   Java frames as {@code package.Class.method:line}
 * @param nativeLeaf the innermost native frame below the profiler's hook ({@code deflateInit2_ (libz.so.1.2.13)})
 * @param javaFrame  the innermost Java frame ({@code java.util.zip.Deflater.<init>:218}), or "" if none
 * @param appFrame   the innermost Java frame outside {@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 *                   {@code com.sun.} — the caller a user can change — or "" if none
 * @param bytes      unfreed bytes over all its stacks
 * @param count      unfreed blocks over all its stacks
 * @param stacks     how many distinct stacks (call paths to the application frame, native leaves) it sums
 * @param lateBytes  the part of {@code bytes} allocated in the second half of the counted window
 *                   ({@link NativeMemProfile#midMillis()} to the cut-off): memory that keeps being left unfreed has
 *                   about half its bytes there, memory kept since start-up (pools, caches filled once) almost none
 */
public record UnfreedStack(List<String> frames, String nativeLeaf, String javaFrame, String appFrame,
                           long bytes, long count, int stacks, long lateBytes) {

    /** This and {@code other} (same application frame) as one, keeping this one's frames. */
    UnfreedStack plus(UnfreedStack other) {
        return new UnfreedStack(frames, nativeLeaf, javaFrame, appFrame, bytes + other.bytes, count + other.count,
                stacks + other.stacks, lateBytes + other.lateBytes);
    }
}
