package dev.hotpath.analyzer.heap.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The paged arrays the engine's columns live in: indexes past 2^32 with lazily made pages (only the touched pages
 * exist, a 2^36-element array costs its page table), tiny eager pages checked against plain arrays, the int/long
 * choice at exactly 2^31, offsets summed past 2^31 in longs, 8-byte index files, and stacks deeper than a chunk.
 */
class PagedArraysTest {
    private static final long HUGE = 1L << 36;
    private static final long[] FAR = {0, (1L << 32) - 1, 1L << 32, (1L << 32) + 5, (1L << 33) + 12_345, 3L << 34, HUGE - 1};

    @TempDir
    Path work;

    @Test
    void lazyPagesPastTwoToTheThirtyTwoExistOnlyWhereWritten() {
        // 2^36 elements in pages of 2^16: 2^20 page slots, of which only the 7 written pages are made
        IntPages ints = new IntPages(HUGE, 16, -1, true);
        LongPages longs = new LongPages(HUGE, 16, -7, true);
        CharPages chars = new CharPages(HUGE, 16, (char) 3, true);
        BytePages bytes = new BytePages(HUGE, 16, (byte) 9, true);
        assertThat(ints.pagesAllocated()).isZero();
        assertThat(ints.pageCount()).isEqualTo(1 << 20);
        for (int k = 0; k < FAR.length; k++) {
            long i = FAR[k];
            ints.setInt(i, k * 1000 + 1);
            longs.set(i, (1L << 40) + i);
            chars.set(i, (char) (60_000 + k));
            bytes.set(i, (byte) (-k - 1));
        }
        for (int k = 0; k < FAR.length; k++) {
            long i = FAR[k];
            assertThat(ints.getInt(i)).isEqualTo(k * 1000 + 1);
            assertThat(ints.get(i)).isEqualTo(k * 1000 + 1);
            assertThat(longs.get(i)).isEqualTo((1L << 40) + i);
            assertThat((int) chars.get(i)).isEqualTo(60_000 + k);
            assertThat(bytes.get(i)).isEqualTo((byte) (-k - 1));
            // the neighbours in the same page hold the fill; the next page was never made
            if (i + 1 < HUGE && ((i + 1) & 0xffff) != 0) {
                assertThat(ints.getInt(i + 1)).isEqualTo(-1);
                assertThat(longs.get(i + 1)).isEqualTo(-7);
                assertThat(chars.get(i + 1)).isEqualTo((char) 3);
                assertThat(bytes.get(i + 1)).isEqualTo((byte) 9);
            }
        }
        // (2^32 - 1) and 2^32 lie in two pages; 2^32 + 5 shares the page of 2^32
        assertThat(ints.pagesAllocated()).isEqualTo(6);
        assertThat(longs.pagesAllocated()).isEqualTo(6);
        assertThat(chars.pagesAllocated()).isEqualTo(6);
        assertThat(bytes.pagesAllocated()).isEqualTo(6);
        assertThat(ints.getInt(1L << 35)).as("an untouched page reads as the fill").isEqualTo(-1);
        assertThat(ints.pagesAllocated()).as("reading does not make pages").isEqualTo(6);
        assertThatThrownBy(() -> ints.setInt(HUGE, 1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        // a consumed queue's head: the pages below 2^32 + 2^16 go, down to the first gap (a queue has none)
        ints.releaseBelow((1L << 32) + (1 << 16));
        assertThat(ints.pagesAllocated()).isEqualTo(4);
        assertThat(ints.getInt((1L << 32) - 1)).isEqualTo(-1);
        assertThat(ints.getInt(0)).as("below the gap").isEqualTo(1);
        assertThat(ints.getInt(1L << 32)).isEqualTo(-1);
        assertThat(ints.getInt((1L << 33) + 12_345)).isEqualTo(4001);
    }

    @Test
    void tinyEagerPagesAgreeWithPlainArraysAndTheLastPageIsCut() {
        int n = 1001; // 250 pages of 4 and a last page of 1
        IntPages ints = new IntPages(n, 2, 0, false);
        LongPages longs = new LongPages(n, 2, 0, false);
        assertThat(ints.pageCount()).isEqualTo(251);
        assertThat(ints.pagesAllocated()).isEqualTo(251);
        assertThat(ints.pageAt(250)).hasSize(1);
        int[] a = new int[n];
        long[] b = new long[n];
        Random r = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            int i = r.nextInt(n);
            a[i] = r.nextInt();
            b[i] = r.nextLong();
            ints.setInt(i, a[i]);
            longs.set(i, b[i]);
        }
        for (int i = 0; i < n; i++) {
            assertThat(ints.getInt(i)).isEqualTo(a[i]);
            assertThat(longs.get(i)).isEqualTo(b[i]);
        }
        assertThatThrownBy(() -> ints.getInt(n)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }

    @Test
    void nodeArraysHoldIntsUpToTwoToTheThirtyOneMinusOneAndLongsFromThere() {
        assertThat(NodeArray.of(10, Integer.MAX_VALUE)).isInstanceOf(IntPages.class);
        assertThat(NodeArray.of(10, Integer.MAX_VALUE + 1L)).isInstanceOf(LongPages.class);
        assertThat(NodeArray.widthFor(Integer.MAX_VALUE)).isEqualTo(4);
        assertThat(NodeArray.widthFor(Integer.MAX_VALUE + 1L)).isEqualTo(8);
        NodeArray ints = NodeArray.of(4, 100, -1, false, 1);
        assertThat(ints.get(3)).as("fill, sign-extended").isEqualTo(-1L);
        ints.set(2, Integer.MAX_VALUE);
        assertThat(ints.get(2)).isEqualTo(Integer.MAX_VALUE);
        String old = System.getProperty(NodeArray.LONG_PROPERTY);
        System.setProperty(NodeArray.LONG_PROPERTY, "true");
        try {
            assertThat(NodeArray.of(10, 5)).as("the test knob takes the long path").isInstanceOf(LongPages.class);
            assertThat(NodeArray.widthFor(5)).isEqualTo(8);
        } finally {
            if (old == null) {
                System.clearProperty(NodeArray.LONG_PROPERTY);
            } else {
                System.setProperty(NodeArray.LONG_PROPERTY, old);
            }
        }
    }

    /**
     * CSR row starts as GraphBuilder makes them: per-node counts summed in a long, the array's width picked from the
     * sum. Three rows of 2^30 references put the row starts at 2^30, 2^31 and 3 * 2^30: past an int, kept exactly.
     */
    @Test
    void rowStartsPastTwoToTheThirtyOneAreSummedInLongsAndStoredInLongs() {
        int[] counts = {0, 1 << 30, 1 << 30, 1 << 30, 7};
        long sum = 0;
        for (int c : counts) {
            sum += c;
        }
        assertThat(sum).isEqualTo(3L * (1 << 30) + 7);
        NodeArray start = NodeArray.of(counts.length + 1, sum, 0, false, 1);
        assertThat(start).isInstanceOf(LongPages.class);
        long at = 0;
        for (int v = 0; v < counts.length; v++) {
            start.set(v, at);
            at += counts[v];
        }
        start.set(counts.length, at);
        assertThat(start.get(2)).isEqualTo(1L << 30);
        assertThat(start.get(3)).isEqualTo(1L << 31);
        assertThat(start.get(4)).isEqualTo(3L << 30);
        assertThat(start.get(5)).isEqualTo((3L << 30) + 7);
        assertThat(start.get(4) - start.get(3)).as("a row's length across 2^31").isEqualTo(1 << 30);
        // the same sum in an int would have wrapped: what the old int offsets would have stored
        assertThat((int) start.get(3)).isNegative();
    }

    @Test
    void pageTablesRefuseMoreThanAJavaArrayOfPages() {
        assertThatThrownBy(() -> new IntPages(1L << 40, 2, 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2^31 pages");
        assertThat(Paging.pageLength(1001, 2, 250)).isEqualTo(1);
        assertThat(Paging.pageLength(1001, 2, 249)).isEqualTo(4);
    }

    @Test
    void eightByteIndexFilesReadBackValuesPastTwoToTheThirtyTwoThroughWindows() throws Exception {
        int n = 70_001; // more than one 2^16 window, 16-byte blocks
        LongPages a = new LongPages(n, 3, 0, false);
        for (int i = 0; i < n; i++) {
            a.set(i, (1L << 33) + i * 3L - (i % 2 == 0 ? 0 : 1L << 34));
        }
        IntPages b = new IntPages(n, 3, 0, false);
        for (int i = 0; i < n; i++) {
            b.setInt(i, i % 3 == 0 ? -1 : i);
        }
        try (SpillDir dir = new SpillDir(work, 16)) {
            SpilledArray fa = dir.nodes("a", a, n);
            SpilledArray fb = dir.nodes("b", b, n);
            SpilledArray.Window wa = fa.window();
            SpilledArray.Window wb = fb.window();
            for (int i = n - 1; i >= 0; i--) { // descending: windows load below themselves
                assertThat(wa.get(i)).isEqualTo(a.get(i));
                assertThat(fa.get(i)).isEqualTo(a.get(i));
                assertThat(wb.get(i)).as("4-byte files sign-extend").isEqualTo(b.get(i));
            }
            NodeArray ra = fa.read();
            NodeArray rb = fb.read();
            assertThat(ra).isInstanceOf(LongPages.class);
            assertThat(rb).isInstanceOf(IntPages.class);
            for (int i = 0; i < n; i++) {
                assertThat(ra.get(i)).isEqualTo(a.get(i));
                assertThat(rb.get(i)).isEqualTo(b.get(i));
            }
        }
    }

    @Test
    void stacksCrossChunksInBothDirections() {
        LongStack s = new LongStack();
        int n = 3 * (1 << 16) + 5; // frames of 3 straddle the 2^16 chunks
        for (int i = 0; i < n; i++) {
            s.push((1L << 40) + i);
        }
        assertThat(s.size()).isEqualTo(n);
        assertThat(s.peek(0)).isEqualTo((1L << 40) + n - 1);
        assertThat(s.peek(6)).as("below the top chunk").isEqualTo((1L << 40) + n - 7);
        s.setPeek(6, 42);
        s.drop(6);
        assertThat(s.pop()).isEqualTo(42);
        for (int i = n - 8; i >= 0; i--) {
            assertThat(s.pop()).isEqualTo((1L << 40) + i);
        }
        assertThat(s.isEmpty()).isTrue();
        s.push(5);
        assertThat(s.peek(0)).isEqualTo(5);
    }
}
