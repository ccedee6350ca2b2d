package dev.hotpath.samples.cache;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Daemon;
import dev.hotpath.samples.common.Fault;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code cache --origin=http://127.0.0.1:GATEWAY_PORT [--port=0] [--mem=64m] [--disk=256m] [--dir=DIR]
 * [--policy=s3fifo|lru] [--prefetch=2] [--threads=8] [--fault=heap-leak]}. Without {@code --dir} the disk tier
 * lives in a temporary directory.
 */
public final class CacheMain {
    private CacheMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv).allow("origin", "port", "mem", "disk", "dir", "policy", "prefetch", "threads", "fault");
        Cache.Options o = new Cache.Options();
        o.originUrl = a.require("origin");
        o.port = a.getInt("port", 0);
        o.threads = a.getInt("threads", 8);
        o.memBytes = a.getBytes("mem", o.memBytes);
        o.diskBytes = a.getBytes("disk", o.diskBytes);
        o.diskDir = a.has("dir") ? Path.of(a.get("dir", null)) : Files.createTempDirectory("hotpath-cache-");
        o.policy = a.get("policy", o.policy);
        o.prefetchDepth = a.getInt("prefetch", o.prefetchDepth);
        o.faults = Fault.parse(a.all("fault"));
        Cache c = Cache.start(o);
        c.http().announce(System.out);
        Daemon.runUntilShutdown("cache", c);
    }
}
