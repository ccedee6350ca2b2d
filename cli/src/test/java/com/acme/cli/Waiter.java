package com.acme.cli;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;

/** Attach target: waits for a line, writes 10 x 64 bytes (line 16) to the file named by args[0], waits for another line. */
public final class Waiter {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        in.readLine();
        try (FileOutputStream out = new FileOutputStream(args[0])) {
            for (int i = 0; i < 10; i++) {
                out.write(new byte[64]); // Waiter.java:16
            }
        }
        System.out.println("done");
        System.out.flush();
        in.readLine();
    }
}
