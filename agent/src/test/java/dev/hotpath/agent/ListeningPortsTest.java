package dev.hotpath.agent;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines of Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}: only LISTEN sockets' local ports count. */
class ListeningPortsTest {
    @Test
    void takesTheLocalPortOfListeningSocketsOnly() {
        BitSet ports = new BitSet();
        // 0.0.0.0:2024 listening; 127.0.0.1:8080 listening; an established connection 127.0.0.1:8080 <- :51234
        ListeningPorts.parse("   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
                + "        0 1603 1 00000000b4c46626 100 0 0 10 0", ports);
        ListeningPorts.parse("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000"
                + "        0 20411 1 0000000000000000 100 0 0 10 0", ports);
        ListeningPorts.parse("   2: 0100007F:C822 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000"
                + "        0 20467 1 0000000000000000 20 4 30 10 -1", ports);
        // [::]:9404 listening (tcp6); a TIME_WAIT line
        ListeningPorts.parse("   0: 00000000000000000000000000000000:24BC 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 3021 1 0000000000000000 100 0 0 10 0",
                ports);
        ListeningPorts.parse("   3: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 03:00000F3A 00000000     0"
                + "        0 0 3 0000000000000000", ports);
        // the header and damaged lines are skipped
        ListeningPorts.parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt", ports);
        ListeningPorts.parse("   4: 0100007F:ZZZZ 00000000:0000 0A", ports);
        ListeningPorts.parse("", ports);
        assertThat(ports.stream().boxed().toList()).containsExactly(2024, 8080, 9404);
        // a listening line says so (the reader stops at the first line that is not one)
        assertThat(ListeningPorts.parse("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                + "  1000        0 20411 1 0000000000000000 100 0 0 10 0", ports)).isTrue();
        assertThat(ListeningPorts.parse("   2: 0100007F:C822 0100007F:1F90 01 00000000:00000000 00:00000000 00000000"
                + "  1000        0 20467 1 0000000000000000 20 4 30 10 -1", ports)).isFalse();
    }
}
