package dev.hotpath.nativemem.asprof;

import java.util.List;

/**
 * Native memory allocated under one stack and not freed by the cut-off.
 *
 * @param frames     innermost first; native frames as {@code function (library)}, Java frames as
 *                   {@code package.Class.method:line}
 * @param nativeLeaf the innermost native frame below the profiler's hook ({@code deflateInit2_ (libz.so.1.2.13)})
 * @param javaFrame  the innermost Java frame ({@code java.util.zip.Deflater.<init>:218}), or "" if none
 * @param appFrame   the innermost Java frame outside {@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 *                   {@code com.sun.} — the caller a user can change — or "" if none
 */
public record UnfreedStack(List<String> frames, String nativeLeaf, String javaFrame, String appFrame,
                           long bytes, long count) {
}
