package dev.hotpath.agent.bootstrap;

import dev.hotpath.agent.export.PrometheusText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} carries the snapshot's {@code distinctBytes} as the gauge {@code hotpath_io_distinct_bytes}, with
 * the other metrics' labels, on file-read keys only.
 */
class PrometheusDistinctBytesTest {
    @Test
    void fileReadKeysExportTheirDistinctBytesAsAGauge() {
        SiteCounter read = new SiteCounter("A.get(A.java:5)", "A", "get", 5, Ops.KIND_FILE, Ops.READ, "/d/\"idx\"");
        SiteCounter write = new SiteCounter("A.put(A.java:9)", "A", "put", 9, Ops.KIND_FILE, Ops.WRITE, "/d/log");
        SiteCounter sock = new SiteCounter("A.recv(A.java:3)", "A", "recv", 3, Ops.KIND_SOCKET, Ops.READ, "h:1");
        // the same two blocks read three times: 24 KiB read, 8 KiB distinct
        for (int i = 0; i < 3; i++) {
            read.record(-1, 8192, false, 2);
            DistinctBlocks.mark(read.cells, 0, 8192);
        }
        write.record(-1, 100, false, 1);
        sock.record(-1, 10, false, 0);
        String text = PrometheusText.render(new SiteCounter[]{read, write, sock}, 0);
        String from = "# HELP hotpath_io_distinct_bytes ";
        String section = text.substring(text.indexOf(from), text.indexOf("# HELP hotpath_io_dropped"));
        assertThat(section).isEqualTo(from + "Estimated distinct bytes a file-read key read (whole 4 KiB blocks; a"
                + " lower bound when the snapshot says distinctSaturated).\n"
                + "# TYPE hotpath_io_distinct_bytes gauge\n"
                + "hotpath_io_distinct_bytes{kind=\"file\",op=\"read\",site=\"A.get(A.java:5)\",target=\"/d/\\\"idx\\\"\"}"
                + " 8192\n");
        assertThat(text).contains("hotpath_io_bytes_total{kind=\"file\",op=\"read\",site=\"A.get(A.java:5)\","
                + "target=\"/d/\\\"idx\\\"\"} 24576\n");
        assertThat(text.indexOf(from)).isEqualTo(text.lastIndexOf(from));
    }
}
