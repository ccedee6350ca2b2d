package dev.hotpath.analyzer.nativemem;

import java.util.List;

/**
 * A stack holding native memory, as findings show it.
 *
 * @param frames   innermost first, printable
 * @param culprit  the frame a user should look at: the application's Java frame when known, else the JNI entry
 *                 point ({@code Java_java_util_zip_Deflater_init}), else the innermost named native frame
 * @param leaf     the innermost named native frame ({@code deflateInit2_}), or ""
 * @param bytes    bytes held
 */
public record NativeStack(List<String> frames, String culprit, String leaf, double bytes) {
}
