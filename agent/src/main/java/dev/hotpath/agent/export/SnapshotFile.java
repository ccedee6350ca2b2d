package dev.hotpath.agent.export;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the snapshot atomically: to a temporary file beside the target, then renamed over it, so a reader never
 * sees a half-written snapshot. Runs on the agent's own threads, whose I/O the recorder ignores.
 *
 * <p>Through {@code java.io} only, not {@code java.nio.file}: the JIT compiles the host's file opens from the types it
 * profiled there, and the agent's own calls are profiled with them. {@code Files.write} passes the provider a
 * {@code Set.of} three options, a set class the host's {@code FileChannel.open} (a {@code HashSet}) and
 * {@code Files.createFile} (a two-element {@code Set.of}) do not use; with that third class,
 * {@code UnixChannelFactory.Flags.toFlags} iterated every host open through an itable call and an iterator object
 * instead of inlined code: 0.28% of a saturated gateway's CPU samples (newFileChannel's own work 0.54% against
 * 0.26% without the agent, GatewaySaturationHarness {@code -Dprofile=true}, session 13). {@code java.io}'s open,
 * write, rename and close make no virtual call whose profile the agent could widen.
 */
public final class SnapshotFile {
    private SnapshotFile() {
    }

    public static void write(Path target, String json) throws IOException {
        File file = target.toAbsolutePath().toFile();
        File dir = file.getParentFile();
        if (dir != null && !dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
            throw new IOException("cannot create directory " + dir);
        }
        File tmp = createTemp(dir, file.getName());
        try {
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            if (!tmp.renameTo(file)) { // rename(2): replaces the target atomically; false on a platform that will not
                Files.move(tmp.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (tmp.exists()) {
                tmp.delete();
            }
        }
    }

    /**
     * A new empty file named after the target with a random suffix, created exclusively (O_EXCL: a name that already
     * exists, a planted symbolic link included, is never opened; another name is tried), readable and writable by its
     * owner only before anything is written, as {@code Files.createTempFile} made it: the snapshot names the host's
     * files and peers, and the rename gives the target these permissions.
     */
    private static File createTemp(File dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            File tmp = new File(dir, name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            if (tmp.createNewFile()) {
                boolean ownerOnly = tmp.setReadable(false, false) & tmp.setWritable(false, false)
                        & tmp.setReadable(true, true) & tmp.setWritable(true, true);
                if (!ownerOnly) {
                    tmp.delete();
                    throw new IOException("cannot make " + tmp + " readable by its owner only");
                }
                return tmp;
            }
            if (attempt == 99) {
                throw new IOException("cannot create a temporary file beside " + new File(dir, name));
            }
        }
    }
}
