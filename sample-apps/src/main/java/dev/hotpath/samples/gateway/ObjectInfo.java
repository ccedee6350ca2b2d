package dev.hotpath.samples.gateway;

import java.nio.file.Path;

/** One object as the gateway sees it: its file, size, modification time and ETag (quoted). */
record ObjectInfo(String key, Path path, long size, long lastModifiedMillis, String etag) {
}
