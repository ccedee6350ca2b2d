package dev.hotpath.samples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotpath.samples.testing.Http;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The gateway against the real AWS SDK for Java v2 S3 client: path-style, plain http, dummy credentials. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ConformanceTest {
    @TempDir
    static Path root;
    Gateway gw;
    S3Client s3;

    @BeforeAll
    void start() throws Exception {
        gw = Gateway.start(root, 0, 4, Set.of());
        s3 = client(true);
        s3.createBucket(b -> b.bucket("conformance"));
    }

    private S3Client client(boolean checksumsWhenRequired) {
        var b = S3Client.builder()
                .endpointOverride(URI.create(gw.url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create());
        if (checksumsWhenRequired) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    @AfterAll
    void stop() {
        s3.close();
        gw.close();
    }

    @Test
    void putGetHeadDeleteRoundTrip() throws Exception {
        byte[] body = Http.bytes(300_000, 3);
        PutObjectResponse put = s3.putObject(b -> b.bucket("conformance").key("rt/object.bin"), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo("\"" + Http.md5Hex(body) + "\"");
        assertThat(Files.readAllBytes(root.resolve("conformance/rt/object.bin"))).isEqualTo(body);

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("conformance").key("rt/object.bin"));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().eTag()).isEqualTo(put.eTag());
        assertThat(got.response().contentLength()).isEqualTo(300_000L);

        HeadObjectResponse head = s3.headObject(b -> b.bucket("conformance").key("rt/object.bin"));
        assertThat(head.contentLength()).isEqualTo(300_000L);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.lastModified()).isNotNull();

        s3.deleteObject(b -> b.bucket("conformance").key("rt/object.bin"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("conformance").key("rt/object.bin")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("conformance").key("rt/object.bin")))
                .isInstanceOfSatisfying(NoSuchKeyException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void rangedGet() {
        s3.putObject(b -> b.bucket("conformance").key("range.txt"),
                RequestBody.fromString("abcdefghijklmnopqrstuvwxyz", StandardCharsets.US_ASCII));
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("conformance").key("range.txt").range("bytes=10-19"));
        assertThat(r.asString(StandardCharsets.US_ASCII)).isEqualTo("klmnopqrst");
        assertThat(r.response().contentRange()).isEqualTo("bytes 10-19/26");
        assertThat(r.response().contentLength()).isEqualTo(10L);
    }

    @Test
    void listWithPrefixDelimiterAndContinuation() {
        for (String k : new String[] {"ls/a/1", "ls/a/2", "ls/b", "ls/c/1", "ls/d", "ls/e", "ls/f+g h"}) {
            s3.putObject(b -> b.bucket("conformance").key(k), RequestBody.fromString(k));
        }
        ListObjectsV2Response one = s3.listObjectsV2(b -> b.bucket("conformance").prefix("ls/").delimiter("/"));
        assertThat(one.contents()).extracting(S3Object::key).containsExactly("ls/b", "ls/d", "ls/e", "ls/f+g h");
        assertThat(one.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("ls/a/", "ls/c/");
        assertThat(one.contents().get(0).size()).isEqualTo(4L);
        assertThat(one.contents().get(0).eTag()).isEqualTo("\"" + Http.md5Hex("ls/b".getBytes(StandardCharsets.UTF_8)) + "\"");
        assertThat(one.isTruncated()).isFalse();

        List<String> paged = new ArrayList<>();
        int[] pages = {0};
        s3.listObjectsV2Paginator(b -> b.bucket("conformance").prefix("ls/").maxKeys(2)).forEach(page -> {
            pages[0]++;
            page.contents().forEach(o -> paged.add(o.key()));
        });
        assertThat(paged).containsExactly("ls/a/1", "ls/a/2", "ls/b", "ls/c/1", "ls/d", "ls/e", "ls/f+g h");
        assertThat(pages[0]).isEqualTo(4);

        List<String> delimited = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket("conformance").prefix("ls/").delimiter("/").maxKeys(2)).forEach(page -> {
            page.commonPrefixes().forEach(p -> delimited.add(p.prefix()));
            page.contents().forEach(o -> delimited.add(o.key()));
        });
        assertThat(delimited).containsExactlyInAnyOrder("ls/a/", "ls/b", "ls/c/", "ls/d", "ls/e", "ls/f+g h");
        assertThat(delimited).hasSize(6);
    }

    @Test
    void multipartUpload() {
        byte[] p1 = Http.bytes(5 * 1024 * 1024, 11);
        byte[] p2 = Http.bytes(1234, 12);
        String id = s3.createMultipartUpload(b -> b.bucket("conformance").key("mp/big.bin")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("conformance").key("mp/big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("conformance").key("mp/big.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        String etag = s3.completeMultipartUpload(b -> b.bucket("conformance").key("mp/big.bin").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();
        assertThat(etag).endsWith("-2\"");
        byte[] all = s3.getObjectAsBytes(b -> b.bucket("conformance").key("mp/big.bin")).asByteArray();
        assertThat(all).hasSize(p1.length + p2.length);
        assertThat(java.util.Arrays.copyOfRange(all, p1.length, all.length)).isEqualTo(p2);
        assertThat(s3.headObject(b -> b.bucket("conformance").key("mp/big.bin")).eTag()).isEqualTo(etag);
    }

    @Test
    void defaultClientSettingsWithStreamingChecksumsAlsoWork() {
        try (S3Client defaults = client(false)) {
            defaults.putObject(b -> b.bucket("conformance").key("defaults.txt"), RequestBody.fromString("hello, defaults"));
            assertThat(defaults.getObjectAsBytes(b -> b.bucket("conformance").key("defaults.txt")).asUtf8String())
                    .isEqualTo("hello, defaults");
        }
    }
}
