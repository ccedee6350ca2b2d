package dev.hotpath.samples.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ETags by file. Objects PUT over HTTP get theirs at write time; files written over POSIX get one computed on first
 * use. An entry is valid only while size and mtime match, so a file rewritten behind the gateway's back gets a new
 * ETag.
 */
final class Etags {
    private record Entry(long size, long mtime, String etag) {
    }

    private final ConcurrentHashMap<Path, Entry> byPath = new ConcurrentHashMap<>();

    String get(Path file, long size, long mtime) throws IOException {
        Entry e = byPath.get(file);
        if (e != null && e.size == size && e.mtime == mtime) {
            return e.etag;
        }
        MessageDigest md5 = md5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md5.update(buf, 0, n);
            }
        }
        String etag = quote(md5.digest());
        byPath.put(file, new Entry(size, mtime, etag));
        return etag;
    }

    void put(Path file, long size, long mtime, String etag) {
        byPath.put(file, new Entry(size, mtime, etag));
    }

    void remove(Path file) {
        byPath.remove(file);
    }

    static String quote(byte[] digest) {
        return "\"" + HexFormat.of().formatHex(digest) + "\"";
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JDK", e);
        }
    }
}
