package dev.hotpath.analyzer.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Deterministic mutations of a seed input, for sweeps that must find the same thing on every run. Every mutation
 * carries a name that says exactly how it was made ({@code seed/flip@1234.5}), so a failure is reproducible from
 * the report alone. Random choices come from a {@link SplittableRandom} seeded by the caller.
 *
 * <p>Kinds: truncations (at every {@code step} bytes and at every record boundary), bit flips, length fields set to
 * 0 / -1 / huge (big- and little-endian, 2/4/8 bytes wide), a record repeated, two records swapped, a record dropped.
 */
public final class Mutations {
    private final String seedName;
    private final byte[] seed;
    private final int[] boundaries;
    private final List<Mutation> out = new ArrayList<>();

    /**
     * One input of a sweep, made when asked for: a sweep of 10,000 mutants of a 140 KB seed would not fit a small heap
     * if every mutant were held at once.
     */
    public record Mutation(String name, Supplier<byte[]> recipe) {
        public Mutation(String name, byte[] bytes) {
            this(name, () -> bytes.clone());
        }

        public byte[] bytes() {
            return recipe.get();
        }
    }

    /**
     * @param boundaries record boundaries inside the seed (offsets where a record starts), ascending; may be empty
     */
    public Mutations(String seedName, byte[] seed, int[] boundaries) {
        this.seedName = seedName;
        this.seed = seed.clone();
        this.boundaries = boundaries.clone();
    }

    /** Record boundaries of a text input: the start of every line. */
    public static int[] lineStarts(byte[] text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length - 1; i++) {
            if (text[i] == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Boundaries every {@code step} bytes, for binary inputs whose records the sweep does not parse. */
    public static int[] every(int length, int step) {
        int[] b = new int[(length + step - 1) / step];
        for (int i = 0; i < b.length; i++) {
            b[i] = i * step;
        }
        return b;
    }

    public List<Mutation> all() {
        return List.copyOf(out);
    }

    public Mutations seedItself() {
        add("seed", seed::clone);
        add("empty", () -> new byte[0]);
        return this;
    }

    /** Prefixes ending at every {@code step} bytes, and at every record boundary and one byte either side of it. */
    public Mutations truncations(int step, int max) {
        int made = 0;
        for (int len = 1; len < seed.length && made < max; len += step, made++) {
            int n = len;
            add("cut@" + len, () -> Arrays.copyOf(seed, n));
        }
        for (int i = 0; i < boundaries.length && made < 2 * max; i++) {
            for (int len = boundaries[i] - 1; len <= boundaries[i] + 1; len++) {
                if (len > 0 && len < seed.length) {
                    int n = len;
                    add("cutAtRecord@" + len, () -> Arrays.copyOf(seed, n));
                    made++;
                }
            }
        }
        return this;
    }

    /** {@code count} inputs, each with 1 to {@code maxFlips} single-bit flips inside the first {@code window} bytes. */
    public Mutations bitFlips(int count, int maxFlips, int window, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        int limit = Math.min(window, seed.length);
        for (int n = 0; n < count && limit > 0; n++) {
            StringBuilder name = new StringBuilder("flip");
            int flips = 1 + random.nextInt(maxFlips);
            int[] at = new int[flips];
            int[] bit = new int[flips];
            for (int f = 0; f < flips; f++) {
                at[f] = random.nextInt(limit);
                bit[f] = random.nextInt(8);
                name.append('@').append(at[f]).append('.').append(bit[f]);
            }
            add(name.toString(), () -> {
                byte[] b = seed.clone();
                for (int f = 0; f < at.length; f++) {
                    b[at[f]] ^= (byte) (1 << bit[f]);
                }
                return b;
            });
        }
        return this;
    }

    /**
     * At each offset: a length-like field of 2, 4 and 8 bytes set to 0, -1 and a huge value, in both byte orders.
     * Offsets past the end are skipped.
     */
    public Mutations lengthFields(int... offsets) {
        for (int at : offsets) {
            for (int width : new int[] {2, 4, 8}) {
                if (at < 0 || at + width > seed.length) {
                    continue;
                }
                for (long value : new long[] {0, -1, Long.MAX_VALUE, Integer.MAX_VALUE, 0x7f7f7f7f7f7f7f7fL}) {
                    int w = width;
                    add("len" + width + "be@" + at + "=" + value, () -> put(seed.clone(), at, w, value, true));
                    add("len" + width + "le@" + at + "=" + value, () -> put(seed.clone(), at, w, value, false));
                }
            }
        }
        return this;
    }

    /** Length fields at every record boundary (where length prefixes of length-prefixed records sit). */
    public Mutations lengthFieldsAtRecords(int max) {
        int n = Math.min(max, boundaries.length);
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = boundaries[(int) ((long) i * boundaries.length / n)];
        }
        return lengthFields(offsets);
    }

    /** {@code count} inputs with a random record repeated (1 to 64 times), swapped with another, or dropped. */
    public Mutations records(int count, long randomSeed) {
        if (boundaries.length < 2) {
            return this;
        }
        SplittableRandom random = new SplittableRandom(randomSeed);
        for (int n = 0; n < count; n++) {
            int i = random.nextInt(boundaries.length);
            int start = boundaries[i];
            int end = i + 1 < boundaries.length ? boundaries[i + 1] : seed.length;
            switch (n % 3) {
                case 0 -> {
                    int times = 1 + random.nextInt(64);
                    add("repeat#" + i + "x" + times, () -> splice(start, end, repeat(start, end, times + 1)));
                }
                case 1 -> {
                    int j = random.nextInt(boundaries.length);
                    int a = Math.min(i, j);
                    int b = Math.max(i, j);
                    if (a == b) {
                        add("drop#" + i, () -> splice(start, end, new byte[0]));
                        continue;
                    }
                    add("swap#" + a + "#" + b, () -> swap(a, b));
                }
                default -> add("drop#" + i, () -> splice(start, end, new byte[0]));
            }
        }
        return this;
    }

    /** Text seed lines with injected hostile content: NULs, huge numbers, very long lines, invalid UTF-8. */
    public Mutations hostileText(int count, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        byte[][] junk = {
            "\0".getBytes(StandardCharsets.ISO_8859_1),
            "99999999999999999999999999999999".getBytes(StandardCharsets.US_ASCII),
            "-1".getBytes(StandardCharsets.US_ASCII),
            "NaN".getBytes(StandardCharsets.US_ASCII),
            {(byte) 0xff, (byte) 0xfe, (byte) 0xc3},
            "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII),
            "{\"callSites\":[".getBytes(StandardCharsets.US_ASCII),
            "\r\r\r".getBytes(StandardCharsets.US_ASCII),
        };
        for (int n = 0; n < count; n++) {
            int at = random.nextInt(seed.length + 1);
            int k = random.nextInt(junk.length);
            add("insert" + k + "@" + at, () -> splice(at, at, junk[k]));
        }
        return this;
    }

    /** Inputs made so far. */
    public int size() {
        return out.size();
    }

    private void add(String name, Supplier<byte[]> recipe) {
        out.add(new Mutation(seedName + "/" + name, recipe));
    }

    private static byte[] put(byte[] b, int at, int width, long value, boolean bigEndian) {
        for (int i = 0; i < width; i++) {
            int shift = bigEndian ? (width - 1 - i) * 8 : i * 8;
            b[at + i] = (byte) (value >>> shift);
        }
        return b;
    }

    private byte[] repeat(int start, int end, int times) {
        byte[] r = new byte[(end - start) * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(seed, start, r, t * (end - start), end - start);
        }
        return r;
    }

    private byte[] splice(int start, int end, byte[] replacement) {
        byte[] r = new byte[seed.length - (end - start) + replacement.length];
        System.arraycopy(seed, 0, r, 0, start);
        System.arraycopy(replacement, 0, r, start, replacement.length);
        System.arraycopy(seed, end, r, start + replacement.length, seed.length - end);
        return r;
    }

    /** Records a and b (a < b) exchanged. */
    private byte[] swap(int a, int b) {
        int aStart = boundaries[a];
        int aEnd = boundaries[a + 1];
        int bStart = boundaries[b];
        int bEnd = b + 1 < boundaries.length ? boundaries[b + 1] : seed.length;
        byte[] r = new byte[seed.length];
        int p = 0;
        p = copy(seed, 0, aStart, r, p);
        p = copy(seed, bStart, bEnd, r, p);
        p = copy(seed, aEnd, bStart, r, p);
        p = copy(seed, aStart, aEnd, r, p);
        copy(seed, bEnd, seed.length, r, p);
        return r;
    }

    private static int copy(byte[] from, int start, int end, byte[] to, int at) {
        System.arraycopy(from, start, to, at, end - start);
        return at + end - start;
    }
}
