package dev.hotpath.samples.cache;

/** An object body as fetched from the origin, with the origin's ETag. */
record CachedObject(byte[] data, String etag) {
}
