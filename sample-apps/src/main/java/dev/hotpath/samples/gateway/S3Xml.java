package dev.hotpath.samples.gateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Renders the XML documents of S3's REST API (namespace http://s3.amazonaws.com/doc/2006-03-01/). */
final class S3Xml {
    static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private S3Xml() {
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append("&#").append((int) c).append(';');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String iso(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis));
    }

    static String error(String code, String message, String bucket, String key, String resource, String requestId) {
        StringBuilder sb = new StringBuilder(HEADER).append("<Error>");
        el(sb, "Code", code);
        el(sb, "Message", message);
        if (bucket != null) {
            el(sb, "BucketName", bucket);
        }
        if (key != null) {
            el(sb, "Key", key);
        }
        el(sb, "Resource", resource);
        el(sb, "RequestId", requestId);
        return sb.append("</Error>").toString();
    }

    static void el(StringBuilder sb, String name, String value) {
        sb.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }

    /** {@code encoding-type=url}: keys and prefixes percent-encoded (the AWS SDKs ask for this and decode it). */
    static String maybeUrl(String s, boolean url) {
        return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/") : s;
    }

    static String listV2(String bucket, String prefix, String delimiter, int maxKeys, String continuationToken,
                         String startAfter, boolean url, ObjectLister.Result r) {
        StringBuilder sb = new StringBuilder(HEADER).append("<ListBucketResult xmlns=\"").append(NS).append("\">");
        el(sb, "Name", bucket);
        el(sb, "Prefix", maybeUrl(prefix, url));
        if (delimiter != null) {
            el(sb, "Delimiter", maybeUrl(delimiter, url));
        }
        el(sb, "MaxKeys", Integer.toString(maxKeys));
        if (url) {
            el(sb, "EncodingType", "url");
        }
        el(sb, "KeyCount", Integer.toString(r.contents().size() + r.commonPrefixes().size()));
        el(sb, "IsTruncated", Boolean.toString(r.truncated()));
        if (continuationToken != null) {
            el(sb, "ContinuationToken", continuationToken);
        }
        if (r.nextToken() != null) {
            el(sb, "NextContinuationToken", r.nextToken());
        }
        if (startAfter != null) {
            el(sb, "StartAfter", maybeUrl(startAfter, url));
        }
        for (ObjectInfo o : r.contents()) {
            sb.append("<Contents>");
            el(sb, "Key", maybeUrl(o.key(), url));
            el(sb, "LastModified", iso(o.lastModifiedMillis()));
            el(sb, "ETag", o.etag());
            el(sb, "Size", Long.toString(o.size()));
            el(sb, "StorageClass", "STANDARD");
            sb.append("</Contents>");
        }
        for (String p : r.commonPrefixes()) {
            sb.append("<CommonPrefixes>");
            el(sb, "Prefix", maybeUrl(p, url));
            sb.append("</CommonPrefixes>");
        }
        return sb.append("</ListBucketResult>").toString();
    }

    static String buckets(List<String[]> buckets) {
        StringBuilder sb = new StringBuilder(HEADER).append("<ListAllMyBucketsResult xmlns=\"").append(NS).append("\">");
        sb.append("<Owner><ID>hotpath</ID><DisplayName>hotpath</DisplayName></Owner><Buckets>");
        for (String[] b : buckets) {
            sb.append("<Bucket>");
            el(sb, "Name", b[0]);
            el(sb, "CreationDate", iso(Long.parseLong(b[1])));
            sb.append("</Bucket>");
        }
        return sb.append("</Buckets></ListAllMyBucketsResult>").toString();
    }

    static String initiateMultipart(String bucket, String key, String uploadId) {
        StringBuilder sb = new StringBuilder(HEADER)
                .append("<InitiateMultipartUploadResult xmlns=\"").append(NS).append("\">");
        el(sb, "Bucket", bucket);
        el(sb, "Key", key);
        el(sb, "UploadId", uploadId);
        return sb.append("</InitiateMultipartUploadResult>").toString();
    }

    static String completeMultipart(String location, String bucket, String key, String etag) {
        StringBuilder sb = new StringBuilder(HEADER)
                .append("<CompleteMultipartUploadResult xmlns=\"").append(NS).append("\">");
        el(sb, "Location", location);
        el(sb, "Bucket", bucket);
        el(sb, "Key", key);
        el(sb, "ETag", etag);
        return sb.append("</CompleteMultipartUploadResult>").toString();
    }
}
