package dev.hotpath.analyzer.io;

/**
 * What a storage benchmark measured for one job: the access ({@code rw}: read, randread, write, randwrite, rw,
 * randrw...), block size, and per direction IOPS, bandwidth and completion-latency p50/p99/mean in nanoseconds (0 when
 * the job did not do that direction, or the tool does not report it: elbencho gives only the mean).
 */
public record DeviceJob(String name, String rw, String blockSize, double readIops, long readBwBytes,
                        long readP50Nanos, long readP99Nanos, double writeIops, long writeBwBytes,
                        long writeP50Nanos, long writeP99Nanos, long readMeanNanos, long writeMeanNanos) {

    public boolean isRandom() {
        return rw != null && rw.startsWith("rand");
    }

    public boolean reads() {
        return readIops > 0;
    }

    public boolean writes() {
        return writeIops > 0;
    }
}
