package dev.hotpath.analyzer.heap.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pass 2's packed columns: values that fit stay in the array, the rest (and non-multiples of the unit) in the map. */
class PackedColumnTest {
    @Test
    void byteColumnKeepsSmallCountsInTheArrayAndEscapesTheRest() {
        PackedColumn c = PackedColumn.bytes(8);
        int[] values = {0, 1, 254, 255, 256, 70_000, Integer.MAX_VALUE, 3};
        for (int i = 0; i < values.length; i++) {
            c.set(i, values[i]);
        }
        for (int i = 0; i < values.length; i++) {
            assertThat(c.get(i)).as("node %d", i).isEqualTo(values[i]);
        }
        assertThat(c.escaped()).isEqualTo(4); // 255 is the escape itself, so it goes to the map too
        assertThat(c.length()).isEqualTo(8);
    }

    @Test
    void charColumnStoresMultiplesOfItsUnitAndEscapesBigOrUnalignedValues() {
        PackedColumn c = PackedColumn.chars(6, 8);
        int[] values = {16, 8 * 65534, 8 * 65535, 12, Integer.MAX_VALUE, 0};
        for (int i = 0; i < values.length; i++) {
            c.set(i, values[i]);
        }
        for (int i = 0; i < values.length; i++) {
            assertThat(c.get(i)).as("node %d", i).isEqualTo(values[i]);
        }
        assertThat(c.escaped()).isEqualTo(3);
        // a later write replaces an escaped value (a damaged dump can repeat an id)
        c.set(2, 24);
        assertThat(c.get(2)).isEqualTo(24);
        c.set(0, 1 << 30);
        assertThat(c.get(0)).isEqualTo(1 << 30);
    }
}
