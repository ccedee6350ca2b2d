package dev.hotpath.samples.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters served at {@code GET /_hotpath/metrics}. {@code fileWriteCalls}/{@code fileReadCalls}/{@code forceCalls}
 * count the service's own calls into the file API, so a fault's effect is visible without timing anything.
 */
public final class GatewayMetrics {
    final LongAdder puts = new LongAdder();
    final LongAdder gets = new LongAdder();
    final LongAdder heads = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder lists = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder fileWriteCalls = new LongAdder();
    final LongAdder fileReadCalls = new LongAdder();
    final LongAdder forceCalls = new LongAdder();
    final LongAdder churnBytesAllocated = new LongAdder();

    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("puts", puts.sum());
        m.put("gets", gets.sum());
        m.put("heads", heads.sum());
        m.put("deletes", deletes.sum());
        m.put("lists", lists.sum());
        m.put("errors", errors.sum());
        m.put("bytesWritten", bytesWritten.sum());
        m.put("bytesRead", bytesRead.sum());
        m.put("fileWriteCalls", fileWriteCalls.sum());
        m.put("fileReadCalls", fileReadCalls.sum());
        m.put("forceCalls", forceCalls.sum());
        m.put("churnBytesAllocated", churnBytesAllocated.sum());
        return m;
    }
}
