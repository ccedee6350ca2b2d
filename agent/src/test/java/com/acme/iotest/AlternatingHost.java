package com.acme.iotest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One stream written from two call sites in a fixed mix: each block of four writes is one from {@link #one} (16
 * bytes) and three from {@link #three} (4 bytes), as a keep-alive socket is written by a server's own frames and by a
 * handler. The agent can only split such a stream's operations between the sites by sample; the test checks that the
 * split follows the mix. Args: directory, number of blocks. Prints {@code done}.
 */
public final class AlternatingHost {
    private static final byte[] SIXTEEN = new byte[16];
    private static final byte[] FOUR = new byte[4];

    private AlternatingHost() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args[0]);
        int blocks = Integer.parseInt(args[1]);
        try (FileOutputStream out = new FileOutputStream(dir.resolve("mixed.bin").toFile())) {
            for (int i = 0; i < blocks; i++) {
                one(out);
                three(out);
                three(out);
                three(out);
            }
        }
        System.out.println("done");
    }

    private static void one(FileOutputStream out) throws IOException {
        out.write(SIXTEEN); // SITE:one
    }

    private static void three(FileOutputStream out) throws IOException {
        out.write(FOUR); // SITE:three
    }
}
