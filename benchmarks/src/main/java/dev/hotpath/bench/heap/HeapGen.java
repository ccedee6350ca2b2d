package dev.hotpath.bench.heap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The program whose heap the benchmark dumps: an in-memory index of ~200-byte records (a HashMap of String keys to
 * records with small arrays, tag lists sharing a pool of strings, boxed counters, a linked chain), about 30 bytes
 * per object like a real service's heap. Arg: target bytes of live data. Prints READY and waits for stdin to close.
 */
public final class HeapGen {
    static final class Item {
        final String name;
        final long id;
        final int[] counts = new int[4];
        final List<String> tags = new ArrayList<>(2);
        final Long boxed;
        Item next;

        Item(String name, long id) {
            this.name = name;
            this.id = id;
            this.boxed = id * 7;
        }
    }

    static final Map<String, Item> INDEX = new HashMap<>();
    static final List<Item> RECENT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        long target = Long.parseLong(args[0]);
        long items = target / 260;
        String[] pool = new String[1000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = "tag-" + i;
        }
        Item prev = null;
        for (long i = 0; i < items; i++) {
            Item it = new Item("item-" + i, i);
            it.tags.add(pool[(int) (i % pool.length)]);
            it.tags.add(new String(pool[(int) ((i * 31) % pool.length)])); // a duplicate string per item
            it.next = prev;
            prev = (i % 64 == 0) ? null : it;
            INDEX.put(it.name, it);
            if (i % 16 == 0) {
                RECENT.add(it);
            }
        }
        System.out.println("READY " + INDEX.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait until the harness closes stdin
        }
    }
}
