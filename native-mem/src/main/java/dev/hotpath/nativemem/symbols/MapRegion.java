package dev.hotpath.nativemem.symbols;

/**
 * One line of {@code /proc/PID/maps}.
 *
 * @param path the mapped file, or the pseudo-name ({@code [heap]}, {@code [stack]}), or "" for anonymous memory
 */
public record MapRegion(long start, long end, String perms, long offset, String path) {
    public boolean executable() {
        return perms.length() > 2 && perms.charAt(2) == 'x';
    }

    public boolean fileBacked() {
        return path.startsWith("/");
    }

    /** The library's file name ({@code libz.so.1.2.13}), or the path itself for pseudo-names. */
    public String libraryName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
