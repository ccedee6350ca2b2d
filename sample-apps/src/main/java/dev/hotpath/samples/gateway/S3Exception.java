package dev.hotpath.samples.gateway;

/** An S3 error response: HTTP status plus the {@code <Code>} of S3's REST error XML. */
public final class S3Exception extends Exception {
    final int status;
    final String code;

    S3Exception(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static S3Exception noSuchKey() {
        return new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
    }

    static S3Exception noSuchBucket() {
        return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist.");
    }

    static S3Exception invalidArgument(String message) {
        return new S3Exception(400, "InvalidArgument", message);
    }

    static S3Exception preconditionFailed() {
        return new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    }
}
