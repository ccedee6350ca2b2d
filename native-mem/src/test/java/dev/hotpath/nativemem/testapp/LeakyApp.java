package dev.hotpath.nativemem.testapp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * A child JVM for tests: {@code LeakyApp <mode> <millis>} leaks in a known way for the given time, then prints
 * "created N" (objects leaked) and exits 0. Modes: {@code deflater} (20 Deflaters never ended per 10 ms, ~64 KiB+256 KiB of zlib state
 * each), {@code direct} (a 256 KiB direct buffer kept per 10 ms), {@code idle} (allocates and drops small objects).
 */
public final class LeakyApp {
    private static final List<Object> KEEP = new ArrayList<>();

    private LeakyApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long end = System.currentTimeMillis() + Long.parseLong(args[1]);
        long created = 0;
        while (System.currentTimeMillis() < end) {
            switch (mode) {
                case "deflater" -> {
                    for (int i = 0; i < 2; i++) {
                        Deflater d = new Deflater();
                        d.setInput(new byte[100]);
                        d.finish();
                        d.deflate(new byte[200]);
                        KEEP.add(d);
                        created++;
                    }
                }
                case "direct" -> {
                    KEEP.add(ByteBuffer.allocateDirect(256 * 1024));
                    created++;
                }
                case "intern" -> {
                    for (int i = 0; i < 1000; i++) {
                        KEEP.add(("key-" + created + "-" + i).intern());
                    }
                    created++;
                }
                default -> {
                    KEEP.add(new byte[64]);
                    KEEP.clear();
                }
            }
            Thread.sleep(10);
        }
        System.out.println("created " + created);
    }

    /** The class path entry holding this class, for launching it in a child JVM. */
    public static String classPath() {
        try {
            return java.nio.file.Path.of(LeakyApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
