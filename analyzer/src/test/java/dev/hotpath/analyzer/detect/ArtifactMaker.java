package dev.hotpath.analyzer.detect;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM that {@link RealArtifacts} records: keeps a live set, forces a few GCs, then (unless {@code quick}) answers
 * "ready" and waits on stdin so the test can run jcmd against it: {@code grow} allocates native memory (for an NMT
 * diff), {@code exit} ends it.
 */
public final class ArtifactMaker {
    public static void main(String[] args) throws Exception {
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            live.add(new byte[64 * 1024]);
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        if (args.length > 0 && args[0].equals("quick")) {
            long sum = 0;
            for (int i = 0; i < 3_000_000; i++) {
                sum += Integer.toString(i).hashCode();
            }
            System.out.println(sum + live.size());
            return;
        }
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        List<ByteBuffer> nativeMemory = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && !line.equals("exit")) {
            if (line.equals("grow")) {
                for (int i = 0; i < 16; i++) {
                    nativeMemory.add(ByteBuffer.allocateDirect(1 << 20));
                }
                System.out.println("grown");
                System.out.flush();
            }
        }
        System.out.println(live.size() + nativeMemory.size());
    }
}
