package dev.hotpath.samples.gateway;

import dev.hotpath.samples.common.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Buckets are directories under the root and objects are plain files at {@code <root>/<bucket>/<key>}, so the same
 * data is reachable over S3 and over POSIX. PUT writes a temporary file under {@code <root>/.hotpath/tmp} (same file
 * system) and renames it into place, so readers see the old or the new object, never a partial one. Commits of one
 * key are serialized by a lock stripe so that conditional writes (If-None-Match / If-Match) are check-and-set.
 */
final class ObjectStore {
    static final String INTERNAL = ".hotpath";

    private final Path root;
    private final Path tmpDir;
    private final Etags etags = new Etags();
    private final BodyWriter writer;
    private final GatewayMetrics metrics;
    private final Object[] stripes = new Object[64];

    ObjectStore(Path root, Set<Fault> faults, GatewayMetrics metrics) throws IOException {
        this.root = root.toAbsolutePath();
        this.tmpDir = this.root.resolve(INTERNAL).resolve("tmp");
        this.metrics = metrics;
        this.writer = new BodyWriter(faults, metrics);
        Files.createDirectories(tmpDir);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    Path root() {
        return root;
    }

    BodyWriter writer() {
        return writer;
    }

    Etags etags() {
        return etags;
    }

    Path newTempFile() throws IOException {
        return Files.createTempFile(tmpDir, "put-", ".tmp");
    }

    // ---- buckets ---------------------------------------------------------------------------------------------

    static void checkBucketName(String bucket) throws S3Exception {
        if (bucket.length() < 3 || bucket.length() > 63 || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.");
        }
    }

    Path bucketDir(String bucket) throws S3Exception {
        checkBucketName(bucket);
        Path dir = root.resolve(bucket);
        if (!Files.isDirectory(dir)) {
            throw S3Exception.noSuchBucket();
        }
        return dir;
    }

    void createBucket(String bucket) throws S3Exception, IOException {
        checkBucketName(bucket);
        Files.createDirectories(root.resolve(bucket));
    }

    void deleteBucket(String bucket) throws S3Exception, IOException {
        Path dir = bucketDir(bucket);
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        }
    }

    List<String[]> buckets() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(p)) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    out.add(new String[] {name, Long.toString(a.creationTime().toMillis())});
                }
            }
        }
        return out;
    }

    // ---- objects ---------------------------------------------------------------------------------------------

    Path objectPath(String bucket, String key) throws S3Exception {
        Path dir = bucketDir(bucket);
        checkKey(key);
        return dir.resolve(key);
    }

    static void checkKey(String key) throws S3Exception {
        if (key.isEmpty() || key.length() > 1024) {
            throw new S3Exception(400, "KeyTooLongError", "Your key is too long or empty.");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.indexOf('\0') >= 0) {
            throw S3Exception.invalidArgument("keys map to files: no leading or trailing '/', no NUL");
        }
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw S3Exception.invalidArgument("keys map to files: no empty, '.' or '..' path segments");
            }
        }
    }

    ObjectInfo stat(String bucket, String key) throws S3Exception, IOException {
        Path p = objectPath(bucket, key);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw S3Exception.noSuchKey();
        }
        if (!a.isRegularFile()) {
            throw S3Exception.noSuchKey();
        }
        return info(key, p, a);
    }

    ObjectInfo info(String key, Path p, BasicFileAttributes a) throws IOException {
        long mtime = a.lastModifiedTime().toMillis();
        return new ObjectInfo(key, p, a.size(), mtime, etags.get(p, a.size(), mtime));
    }

    /** Conditions of a PUT: {@code ifNoneMatchStar} = create only; {@code ifMatch} = replace only that ETag. */
    ObjectInfo put(String bucket, String key, InputStream body, String contentMd5, boolean ifNoneMatchStar,
                   String ifMatch) throws S3Exception, IOException {
        Path target = objectPath(bucket, key);
        Path tmp = newTempFile();
        boolean committed = false;
        try {
            MessageDigest md5 = Etags.md5();
            long size = writer.write(body, tmp, md5);
            byte[] digest = md5.digest();
            if (contentMd5 != null && !contentMd5.equals(Base64.getEncoder().encodeToString(digest))) {
                throw new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            }
            ObjectInfo info = commit(bucket, key, target, tmp, Etags.quote(digest), ifNoneMatchStar, ifMatch);
            committed = true;
            metrics.bytesWritten.add(size);
            return info;
        } finally {
            if (!committed) {
                // after a commit the temp file was renamed away: deleting it anyway made the JDK create (and catch)
                // an exception per PUT for the missing file
                Files.deleteIfExists(tmp);
            }
        }
    }

    ObjectInfo commit(String bucket, String key, Path target, Path tmp, String etag, boolean ifNoneMatchStar,
                      String ifMatch) throws S3Exception, IOException {
        synchronized (stripes[Math.floorMod(target.hashCode(), stripes.length)]) {
            if (ifNoneMatchStar || ifMatch != null) {
                boolean exists = Files.isRegularFile(target);
                if (ifNoneMatchStar && exists) {
                    throw S3Exception.preconditionFailed();
                }
                if (ifMatch != null) {
                    if (!exists) {
                        throw S3Exception.noSuchKey();
                    }
                    if (!etagMatches(ifMatch, stat(bucket, key).etag())) {
                        throw S3Exception.preconditionFailed();
                    }
                }
            }
            try {
                if (!Files.isDirectory(target.getParent())) {
                    // createDirectories on an existing directory creates (and catches) two exceptions per call
                    Files.createDirectories(target.getParent());
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | NotDirectoryException e) {
                throw S3Exception.invalidArgument("key '" + key + "' conflicts with an existing object or prefix");
            }
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
            etags.put(target, a.size(), a.lastModifiedTime().toMillis(), etag);
            return new ObjectInfo(key, target, a.size(), a.lastModifiedTime().toMillis(), etag);
        }
    }

    static boolean etagMatches(String condition, String etag) {
        for (String c : condition.split(",")) {
            String t = c.trim();
            if (t.equals("*") || t.equals(etag) || ("\"" + t + "\"").equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** S3 semantics: deleting a missing key succeeds. Empty parent directories are pruned up to the bucket. */
    void delete(String bucket, String key, String ifMatch) throws S3Exception, IOException {
        Path target = objectPath(bucket, key);
        synchronized (stripes[Math.floorMod(target.hashCode(), stripes.length)]) {
            if (ifMatch != null) {
                if (!Files.isRegularFile(target)) {
                    throw S3Exception.noSuchKey();
                }
                if (!etagMatches(ifMatch, stat(bucket, key).etag())) {
                    throw S3Exception.preconditionFailed();
                }
            }
            if (Files.isRegularFile(target)) {
                Files.deleteIfExists(target);
                etags.remove(target);
            }
        }
        Path bucketDir = root.resolve(bucket);
        for (Path dir = target.getParent(); dir != null && !dir.equals(bucketDir); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            }
        }
    }

    static String newUploadId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
