package dev.hotpath.samples.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ListObjectsV2 over a directory tree. Keys come out in lexicographic order without sorting the whole bucket:
 * a directory's children are visited sorted by {@code name} for files and {@code name + "/"} for directories, which
 * is exactly the order of the keys they contain. The walk starts at the deepest directory the prefix names and stops
 * after max-keys + 1 entries; with delimiter "/" a directory becomes one CommonPrefix without being walked (only
 * checked for containing a file, so stray empty directories stay invisible, as in S3).
 *
 * <p>The continuation token is the last returned entry, base64url-encoded, tagged K (key) or P (common prefix):
 * resuming after a common prefix skips every key under it.
 */
final class ObjectLister {
    record Result(List<ObjectInfo> contents, List<String> commonPrefixes, boolean truncated, String nextToken) {
    }

    private final ObjectStore store;

    ObjectLister(ObjectStore store) {
        this.store = store;
    }

    static String encodeToken(boolean prefix, String value) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(((prefix ? "P" : "K") + value).getBytes(StandardCharsets.UTF_8));
    }

    private final class Walk {
        final Path bucketDir;
        final String prefix;
        final String delimiter;
        final int maxKeys;
        final String after;
        final boolean afterIsPrefix;
        final List<ObjectInfo> contents = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        String last;
        boolean lastIsPrefix;
        boolean truncated;

        Walk(Path bucketDir, String prefix, String delimiter, int maxKeys, String after, boolean afterIsPrefix) {
            this.bucketDir = bucketDir;
            this.prefix = prefix;
            this.delimiter = delimiter;
            this.maxKeys = maxKeys;
            this.after = after;
            this.afterIsPrefix = afterIsPrefix;
        }

        int count() {
            return contents.size() + prefixes.size();
        }

        /** Returns false once the page is full. */
        boolean visitDir(Path dir, String keyPrefix) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    children.add(p);
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                return true;
            }
            List<String> names = new ArrayList<>(children.size());
            for (Path p : children) {
                names.add(p.getFileName().toString() + (Files.isDirectory(p) ? "/" : ""));
            }
            names.sort(null);
            for (String name : names) {
                boolean isDir = name.endsWith("/");
                String key = keyPrefix + name;
                Path p = dir.resolve(isDir ? name.substring(0, name.length() - 1) : name);
                if (isDir) {
                    if (!couldContainMatches(key)) {
                        continue;
                    }
                    if ("/".equals(delimiter) && key.startsWith(prefix) && key.length() > prefix.length()) {
                        if (!emitPrefix(key, p)) {
                            return false;
                        }
                    } else if (!visitDir(p, key)) {
                        return false;
                    }
                } else if (!emitKey(key, p)) {
                    return false;
                }
            }
            return true;
        }

        /** A directory with key path {@code dirKey} ("a/b/") can hold matches only if it and the prefix overlap. */
        boolean couldContainMatches(String dirKey) {
            if (!(dirKey.startsWith(prefix) || prefix.startsWith(dirKey))) {
                return false;
            }
            if (after == null) {
                return true;
            }
            // every key under dirKey is > dirKey; skip it if they all are <= after
            return after.startsWith(dirKey) ? !(afterIsPrefix && after.equals(dirKey)) : dirKey.compareTo(after) > 0;
        }

        boolean emitKey(String key, Path p) throws IOException {
            if (!key.startsWith(prefix) || (after != null && (key.compareTo(after) <= 0
                    || (afterIsPrefix && key.startsWith(after))))) {
                return true;
            }
            if (delimiter != null && !delimiter.isEmpty()) {
                int d = key.indexOf(delimiter, prefix.length());
                if (d >= 0) {
                    return emitPrefix(key.substring(0, d + delimiter.length()), null);
                }
            }
            if (count() >= maxKeys) {
                truncated = true;
                return false;
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return true; // deleted while listing
            }
            contents.add(store.info(key, p, a));
            last = key;
            lastIsPrefix = false;
            return true;
        }

        boolean emitPrefix(String commonPrefix, Path dirToCheck) throws IOException {
            if (!prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(commonPrefix)) {
                return true;
            }
            if (after != null && (commonPrefix.compareTo(after) <= 0 && !(after.startsWith(commonPrefix) && !afterIsPrefix))) {
                return true;
            }
            if (after != null && afterIsPrefix && commonPrefix.equals(after)) {
                return true;
            }
            if (dirToCheck != null && !containsFile(dirToCheck)) {
                return true;
            }
            if (count() >= maxKeys) {
                truncated = true;
                return false;
            }
            prefixes.add(commonPrefix);
            last = commonPrefix;
            lastIsPrefix = true;
            return true;
        }
    }

    static boolean containsFile(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) || (Files.isDirectory(p) && containsFile(p))) {
                    return true;
                }
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        return false;
    }

    Result list(String bucket, String prefix, String delimiter, int maxKeys, String continuationToken,
                String startAfter) throws S3Exception, IOException {
        Path bucketDir = store.bucketDir(bucket);
        String after = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        boolean afterIsPrefix = false;
        if (continuationToken != null) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(continuationToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (decoded.length() < 2 || (decoded.charAt(0) != 'K' && decoded.charAt(0) != 'P')) {
                throw S3Exception.invalidArgument("The continuation token provided is incorrect");
            }
            afterIsPrefix = decoded.charAt(0) == 'P';
            after = decoded.substring(1);
        }
        Walk w = new Walk(bucketDir, prefix, delimiter, maxKeys, after, afterIsPrefix);
        if (maxKeys > 0) {
            int slash = prefix.lastIndexOf('/');
            String startKey = slash < 0 ? "" : prefix.substring(0, slash + 1);
            w.visitDir(startKey.isEmpty() ? bucketDir : bucketDir.resolve(startKey), startKey);
        }
        String next = w.truncated ? encodeToken(w.lastIsPrefix, w.last) : null;
        return new Result(w.contents, w.prefixes, w.truncated, next);
    }
}
