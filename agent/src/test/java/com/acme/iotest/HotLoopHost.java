package com.acme.iotest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Loops long enough for C2 to compile the JDK's I/O methods with the agent's advice in them: {@code n} 128-byte
 * {@code FileOutputStream.write}s to {@code hot.bin}, then {@code n} positional 4 KiB {@code FileChannel.read}s of
 * it, cycling over its first 64 blocks. Args: directory, n. Prints {@code done}.
 */
public final class HotLoopHost {
    private HotLoopHost() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args[0]).resolve("hot.bin");
        int n = Integer.parseInt(args[1]);
        byte[] small = new byte[128];
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (int i = 0; i < n; i++) {
                out.write(small); // SITE:write
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < n; i++) {
                buf.clear();
                ch.read(buf, (i & 63) * 4096L); // SITE:read
            }
        }
        System.out.println("done");
    }
}
