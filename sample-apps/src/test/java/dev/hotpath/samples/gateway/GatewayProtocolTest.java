package dev.hotpath.samples.gateway;

import static dev.hotpath.samples.testing.Http.bytes;
import static dev.hotpath.samples.testing.Http.get;
import static dev.hotpath.samples.testing.Http.header;
import static dev.hotpath.samples.testing.Http.md5Hex;
import static dev.hotpath.samples.testing.Http.put;
import static dev.hotpath.samples.testing.Http.send;
import static dev.hotpath.samples.testing.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayProtocolTest {
    @TempDir
    Path root;
    Gateway gw;
    String url;

    @BeforeEach
    void start() throws Exception {
        gw = Gateway.start(root, 0, 4, Set.of());
        url = gw.url();
        assertThat(put(url + "/data", null).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void putStoresAPlainFileAtomicallyAndAnswersTheMd5Etag() throws Exception {
        byte[] body = bytes(100_000, 1);
        HttpResponse<byte[]> r = put(url + "/data/a/b/obj.bin", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "ETag")).isEqualTo("\"" + md5Hex(body) + "\"");
        assertThat(Files.readAllBytes(root.resolve("data/a/b/obj.bin"))).isEqualTo(body);
        try (Stream<Path> tmp = Files.list(root.resolve(".hotpath/tmp"))) {
            assertThat(tmp).isEmpty(); // the temporary file was renamed into place
        }
    }

    @Test
    void getServesBytesAndMetadataHeaders() {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        put(url + "/data/k", body);
        HttpResponse<byte[]> r = get(url + "/data/k");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(header(r, "Content-Length")).isEqualTo("10");
        assertThat(header(r, "ETag")).isEqualTo("\"781e5e245d69b566979b86e28d23f2c7\"");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(r, "Last-Modified")).endsWith(" GMT");
    }

    @Test
    void rangeRequestsAnswer206WithContentRangeAnd416WhenUnsatisfiable() {
        put(url + "/data/k", "0123456789".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> mid = get(url + "/data/k", "Range", "bytes=2-5");
        assertThat(mid.statusCode()).isEqualTo(206);
        assertThat(text(mid)).isEqualTo("2345");
        assertThat(header(mid, "Content-Range")).isEqualTo("bytes 2-5/10");
        assertThat(header(mid, "Content-Length")).isEqualTo("4");

        HttpResponse<byte[]> suffix = get(url + "/data/k", "Range", "bytes=-3");
        assertThat(text(suffix)).isEqualTo("789");
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 7-9/10");

        HttpResponse<byte[]> open = get(url + "/data/k", "Range", "bytes=8-");
        assertThat(text(open)).isEqualTo("89");
        HttpResponse<byte[]> clamped = get(url + "/data/k", "Range", "bytes=8-100");
        assertThat(header(clamped, "Content-Range")).isEqualTo("bytes 8-9/10");

        HttpResponse<byte[]> bad = get(url + "/data/k", "Range", "bytes=10-");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(header(bad, "Content-Range")).isEqualTo("bytes */10");
        assertThat(text(bad)).contains("<Code>InvalidRange</Code>");
    }

    @Test
    void headAnswersHeadersWithoutBodyAnd404ForMissingKeys() {
        put(url + "/data/k", new byte[1234]);
        HttpResponse<byte[]> r = send("HEAD", url + "/data/k", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Length")).isEqualTo("1234");
        assertThat(header(r, "ETag")).isEqualTo("\"" + md5Hex(new byte[1234]) + "\"");
        assertThat(r.body()).isEmpty();
        HttpResponse<byte[]> missing = send("HEAD", url + "/data/nope", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void errorsAreS3ErrorDocuments() {
        HttpResponse<byte[]> r = get(url + "/data/missing/key");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(header(r, "Content-Type")).isEqualTo("application/xml");
        String id = header(r, "x-amz-request-id");
        assertThat(text(r)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><BucketName>data</BucketName>"
                + "<Key>missing/key</Key><Resource>/data/missing/key</Resource><RequestId>" + id + "</RequestId></Error>");
        HttpResponse<byte[]> nb = get(url + "/nobucket/k");
        assertThat(nb.statusCode()).isEqualTo(404);
        assertThat(text(nb)).contains("<Code>NoSuchBucket</Code>");
        assertThat(put(url + "/data/a/../b", new byte[1]).statusCode()).isEqualTo(400);
    }

    @Test
    void deleteAnswers204EvenForMissingKeysAndPrunesEmptyDirectories() {
        put(url + "/data/x/y/z", new byte[3]);
        assertThat(send("DELETE", url + "/data/x/y/z", null).statusCode()).isEqualTo(204);
        assertThat(Files.exists(root.resolve("data/x"))).isFalse();
        assertThat(Files.isDirectory(root.resolve("data"))).isTrue();
        assertThat(send("DELETE", url + "/data/x/y/z", null).statusCode()).isEqualTo(204);
        assertThat(get(url + "/data/x/y/z").statusCode()).isEqualTo(404);
    }

    @Test
    void listObjectsV2RendersS3XmlWithPrefixDelimiterAndCommonPrefixes() throws Exception {
        FileTime t = FileTime.from(Instant.parse("2026-01-02T03:04:05.678Z"));
        for (String k : new String[] {"logs/2026/a.txt", "logs/2026/b.txt", "logs/2027/c.txt", "logs/top.txt", "other.txt"}) {
            Path p = root.resolve("data").resolve(k); // written over POSIX: the multi-protocol case
            Files.createDirectories(p.getParent());
            Files.writeString(p, k);
            Files.setLastModifiedTime(p, t);
        }
        HttpResponse<byte[]> r = get(url + "/data?list-type=2&prefix=logs/&delimiter=/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>data</Name>"
                + "<Prefix>logs/</Prefix><Delimiter>/</Delimiter><MaxKeys>1000</MaxKeys><KeyCount>3</KeyCount>"
                + "<IsTruncated>false</IsTruncated>"
                + "<Contents><Key>logs/top.txt</Key><LastModified>2026-01-02T03:04:05.678Z</LastModified>"
                + "<ETag>&quot;" + md5Hex("logs/top.txt".getBytes(StandardCharsets.UTF_8)) + "&quot;</ETag>"
                + "<Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>"
                + "<CommonPrefixes><Prefix>logs/2026/</Prefix></CommonPrefixes>"
                + "<CommonPrefixes><Prefix>logs/2027/</Prefix></CommonPrefixes></ListBucketResult>");
        String all = text(get(url + "/data?list-type=2"));
        assertThat(all).contains("<KeyCount>5</KeyCount>");
        assertThat(keys(all)).containsExactly("logs/2026/a.txt", "logs/2026/b.txt", "logs/2027/c.txt", "logs/top.txt", "other.txt");
        assertThat(text(get(url + "/data/logs/2026/b.txt"))).isEqualTo("logs/2026/b.txt");
    }

    @Test
    void listPagesWithMaxKeysAndContinuationTokens() {
        for (String k : new String[] {"a/1", "a/2", "b", "c/1", "c/2", "d"}) {
            put(url + "/data/" + k, k.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder seen = new StringBuilder();
        String token = null;
        int pages = 0;
        do {
            String q = url + "/data?list-type=2&delimiter=/&max-keys=2"
                    + (token == null ? "" : "&continuation-token=" + token);
            String xml = text(get(q));
            pages++;
            seen.append("page ").append(pages).append(": keys ").append(keys(xml))
                    .append(" prefixes ").append(between(xml, "<CommonPrefixes><Prefix>", "</Prefix>")).append("; ");
            token = xml.contains("<IsTruncated>true</IsTruncated>")
                    ? between(xml, "<NextContinuationToken>", "</NextContinuationToken>").get(0) : null;
        } while (token != null);
        assertThat(pages).isEqualTo(2);
        assertThat(seen.toString())
                .isEqualTo("page 1: keys [b] prefixes [a/]; page 2: keys [d] prefixes [c/]; ");
    }

    @Test
    void objectsPutOverHttpAreFilesAndFilesWrittenOverPosixAreObjects() throws Exception {
        put(url + "/data/http.bin", "over-http".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(root.resolve("data/http.bin"))).isEqualTo("over-http");
        Files.writeString(root.resolve("data/posix.bin"), "over-posix");
        HttpResponse<byte[]> r = get(url + "/data/posix.bin");
        assertThat(text(r)).isEqualTo("over-posix");
        assertThat(header(r, "ETag")).isEqualTo("\"" + md5Hex("over-posix".getBytes(StandardCharsets.UTF_8)) + "\"");
        Files.writeString(root.resolve("data/posix.bin"), "rewritten behind the gateway");
        assertThat(header(get(url + "/data/posix.bin"), "ETag"))
                .isEqualTo("\"" + md5Hex("rewritten behind the gateway".getBytes(StandardCharsets.UTF_8)) + "\"");
    }

    @Test
    void conditionalPutsAreCheckAndSet() {
        assertThat(put(url + "/data/lease", new byte[] {1}, "If-None-Match", "*").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> again = put(url + "/data/lease", new byte[] {2}, "If-None-Match", "*");
        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(text(again)).contains("<Code>PreconditionFailed</Code>");
        String etag = header(get(url + "/data/lease"), "ETag");
        assertThat(put(url + "/data/lease", new byte[] {3}, "If-Match", "\"0123\"").statusCode()).isEqualTo(412);
        assertThat(put(url + "/data/lease", new byte[] {3}, "If-Match", etag).statusCode()).isEqualTo(200);
        assertThat(get(url + "/data/lease").body()).containsExactly(3);
        assertThat(put(url + "/data/none", new byte[] {3}, "If-Match", etag).statusCode()).isEqualTo(404);
    }

    @Test
    void contentMd5MismatchIsBadDigestAndNothingIsStored() {
        String wrong = Base64.getEncoder().encodeToString(new byte[16]);
        HttpResponse<byte[]> r = put(url + "/data/x", "abc".getBytes(StandardCharsets.UTF_8), "Content-MD5", wrong);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("<Code>BadDigest</Code>");
        assertThat(Files.exists(root.resolve("data/x"))).isFalse();
    }

    @Test
    void awsChunkedStreamingBodiesAreDecoded() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("x-amz-checksum-crc32:AAAAAA==\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> r = put(url + "/data/chunked", b.toByteArray(),
                "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding", "aws-chunked",
                "x-amz-decoded-content-length", "11");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(get(url + "/data/chunked"))).isEqualTo("hello world");
    }

    @Test
    void bucketsAreDirectories() {
        assertThat(send("HEAD", url + "/data", null).statusCode()).isEqualTo(200);
        assertThat(send("HEAD", url + "/nobucket", null).statusCode()).isEqualTo(404);
        assertThat(text(get(url + "/"))).contains("<Bucket><Name>data</Name>");
        put(url + "/data/k", new byte[1]);
        HttpResponse<byte[]> notEmpty = send("DELETE", url + "/data", null);
        assertThat(notEmpty.statusCode()).isEqualTo(409);
        assertThat(text(notEmpty)).contains("<Code>BucketNotEmpty</Code>");
    }

    static java.util.List<String> keys(String xml) {
        return between(xml, "<Key>", "</Key>");
    }

    static java.util.List<String> between(String s, String open, String close) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while ((i = s.indexOf(open, i)) >= 0) {
            int j = s.indexOf(close, i + open.length());
            out.add(s.substring(i + open.length(), j));
            i = j;
        }
        return out;
    }
}
