package dev.hotpath.nativemem.symbols;

/**
 * A symbolized native frame.
 *
 * @param function the function name ({@code deflateInit2_}, {@code os::malloc}), or {@code null} when unknown
 * @param library  the mapped file's name ({@code libz.so.1.2.13}), or "" for anonymous memory (e.g. JIT-compiled code)
 */
public record NativeFrame(long address, String function, String library) {
    /** {@code function (library)}, or the hex address when the function is unknown. */
    @Override
    public String toString() {
        String f = function != null ? function : "0x" + Long.toHexString(address);
        return library.isEmpty() ? f : f + " (" + library + ")";
    }

    /** A JNI entry point ({@code Java_java_util_zip_Deflater_init}): the boundary between Java and native code. */
    public boolean isJni() {
        return function != null && function.startsWith("Java_");
    }
}
