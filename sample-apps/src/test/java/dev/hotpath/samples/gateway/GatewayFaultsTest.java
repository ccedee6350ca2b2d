package dev.hotpath.samples.gateway;

import static dev.hotpath.samples.testing.Http.bytes;
import static dev.hotpath.samples.testing.Http.get;
import static dev.hotpath.samples.testing.Http.metric;
import static dev.hotpath.samples.testing.Http.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotpath.samples.common.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each gateway fault is observable in the gateway's own counters, and never changes the bytes. */
class GatewayFaultsTest {
    static final int SIZE = 64 * 1024;

    @TempDir
    Path root;

    private long[] putAndGet(Set<Fault> faults) throws Exception {
        try (Gateway gw = Gateway.start(root, 0, 2, faults)) {
            String url = gw.url();
            put(url + "/data", null);
            byte[] body = bytes(SIZE, 7);
            assertThat(put(url + "/data/obj", body).statusCode()).isEqualTo(200);
            long writes = metric(url, "fileWriteCalls");
            long forces = metric(url, "forceCalls");
            long churnPut = metric(url, "churnBytesAllocated");
            assertThat(get(url + "/data/obj").body()).isEqualTo(body);
            assertThat(Files.readAllBytes(root.resolve("data/obj"))).isEqualTo(body);
            long reads = metric(url, "fileReadCalls");
            long churnGet = metric(url, "churnBytesAllocated") - churnPut;
            return new long[] {writes, forces, reads, churnPut, churnGet};
        }
    }

    @Test
    void cleanGatewayWritesAndReadsIn64KiBCallsWithoutForce() throws Exception {
        assertThat(putAndGet(EnumSet.noneOf(Fault.class))).containsExactly(1, 0, 1, 0, 0);
    }

    @Test
    void smallWritesWritesEachObjectIn256ByteCalls() throws Exception {
        assertThat(putAndGet(EnumSet.of(Fault.SMALL_WRITES))[0]).isEqualTo(SIZE / 256);
    }

    @Test
    void fsyncPerWriteForcesAfterEveryWriteCall() throws Exception {
        long[] both = putAndGet(EnumSet.of(Fault.SMALL_WRITES, Fault.FSYNC_PER_WRITE));
        assertThat(both[0]).isEqualTo(SIZE / 256);
        assertThat(both[1]).isEqualTo(SIZE / 256);
    }

    @Test
    void allocChurnCopiesEachBodyThroughFreshArrays() throws Exception {
        long[] m = putAndGet(EnumSet.of(Fault.ALLOC_CHURN));
        assertThat(m[3]).isEqualTo(3L * SIZE + 128 * 1024); // collected + copied + normalized + a scratch per write call
        assertThat(m[4]).isEqualTo(2L * SIZE); // whole-object read + copy
    }

    @Test
    void randomReadsServesAGetAsShuffled4KiBPositionalReads() throws Exception {
        assertThat(putAndGet(EnumSet.of(Fault.RANDOM_READS))[2]).isEqualTo(SIZE / 4096);
    }
}
