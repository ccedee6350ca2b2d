package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waste of every kind in forms that stress how Strings and collections are read: Latin-1 and UTF-16 duplicates with
 * their own arrays, copies that share one array ({@code new String(s)}), two strings over 1 MiB equal in their first
 * MiB but of different lengths (each with a copy), cleared ArrayLists and HashMaps, lists using a fraction of their
 * capacity, lists that never allocated an array.
 */
public final class WasteMixApp {
    static final List<Object> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 3000; i++) {
            KEEP.add(new StringBuilder("latin1-duplicate").toString());
        }
        for (int i = 0; i < 2000; i++) {
            KEEP.add(new StringBuilder("utf16-dupl\u00fccate-\u20ac").toString());
        }
        String shared = new StringBuilder("shares-one-array").toString();
        for (int i = 0; i < 500; i++) {
            KEEP.add(new String(shared));
        }
        for (int i = 0; i < 1000; i++) {
            KEEP.add("unique-" + i);
        }
        String prefix = "p".repeat(1 << 20);
        for (String tail : new String[] {"x", "a-much-longer-tail-of-32-bytes.."}) {
            KEEP.add(new StringBuilder(prefix).append(tail).toString());
            KEEP.add(new StringBuilder(prefix).append(tail).toString());
        }
        for (int i = 0; i < 300; i++) {
            List<Object> l = new ArrayList<>(40);
            l.add("x");
            l.clear();
            KEEP.add(l);
        }
        for (int i = 0; i < 200; i++) {
            Map<String, String> m = new HashMap<>();
            m.put("k", "v");
            m.clear();
            KEEP.add(m);
        }
        for (int i = 0; i < 100; i++) {
            List<Object> l = new ArrayList<>(100 + i);
            l.add(i);
            l.add(KEEP);
            KEEP.add(l);
            KEEP.add(new ArrayList<>());
        }
        Ready.signalAndWait((Runnable) null);
    }
}
