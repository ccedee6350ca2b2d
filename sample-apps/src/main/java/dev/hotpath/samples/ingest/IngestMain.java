package dev.hotpath.samples.ingest;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Daemon;
import dev.hotpath.samples.common.Fault;

/**
 * {@code ingest --gateway=http://127.0.0.1:GATEWAY_PORT [--bucket=ingest] [--port=0] [--instance=ID] [--queue=64]
 * [--upload-queue=16] [--segment=256k] [--split-threshold=20000] [--max-depth=2] [--routers=2] [--uploaders=2]
 * [--lease-ttl=30s] [--fault=native-leak,lock-contention,gc-pressure]}.
 */
public final class IngestMain {
    private IngestMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv).allow("gateway", "bucket", "port", "instance", "queue", "upload-queue", "segment",
                "split-threshold", "max-depth", "routers", "uploaders", "lease-ttl", "threads", "fault");
        Ingest.Options o = new Ingest.Options();
        o.gatewayUrl = a.require("gateway");
        o.bucket = a.get("bucket", o.bucket);
        o.port = a.getInt("port", 0);
        o.instance = a.get("instance", o.instance);
        o.threads = a.getInt("threads", o.threads);
        o.queueBatches = a.getInt("queue", o.queueBatches);
        o.uploadQueue = a.getInt("upload-queue", o.uploadQueue);
        o.segmentBytes = (int) a.getBytes("segment", o.segmentBytes);
        o.splitThreshold = a.getInt("split-threshold", (int) o.splitThreshold);
        o.maxDepth = a.getInt("max-depth", o.maxDepth);
        o.routers = a.getInt("routers", o.routers);
        o.uploaders = a.getInt("uploaders", o.uploaders);
        o.leaseTtlMillis = a.getMillis("lease-ttl", o.leaseTtlMillis);
        o.faults = Fault.parse(a.all("fault"));
        Ingest in = Ingest.start(o);
        in.http().announce(System.out);
        Daemon.runUntilShutdown("ingest", in);
    }
}
