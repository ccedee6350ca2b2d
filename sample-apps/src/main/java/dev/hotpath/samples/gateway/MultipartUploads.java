package dev.hotpath.samples.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Multipart uploads: parts are files under {@code <root>/.hotpath/multipart/<uploadId>/}; completing concatenates
 * the listed parts into a temporary file and commits it like a PUT. The ETag is S3's: MD5 of the concatenated part
 * MD5s, a dash, and the part count.
 */
final class MultipartUploads {
    private final ObjectStore store;
    private final Path dir;

    MultipartUploads(ObjectStore store) throws IOException {
        this.store = store;
        this.dir = store.root().resolve(ObjectStore.INTERNAL).resolve("multipart");
        Files.createDirectories(dir);
    }

    String initiate(String bucket, String key) throws S3Exception, IOException {
        store.objectPath(bucket, key);
        String id = ObjectStore.newUploadId();
        Path d = Files.createDirectories(dir.resolve(id));
        Files.writeString(d.resolve("target"), bucket + "\n" + key, StandardCharsets.UTF_8);
        return id;
    }

    private Path upload(String bucket, String key, String uploadId) throws S3Exception, IOException {
        if (!uploadId.matches("[0-9a-f]{32}")) {
            throw noSuchUpload();
        }
        Path d = dir.resolve(uploadId);
        try {
            String target = Files.readString(d.resolve("target"), StandardCharsets.UTF_8);
            if (!target.equals(bucket + "\n" + key)) {
                throw noSuchUpload();
            }
        } catch (NoSuchFileException e) {
            throw noSuchUpload();
        }
        return d;
    }

    private static S3Exception noSuchUpload() {
        return new S3Exception(404, "NoSuchUpload", "The specified multipart upload does not exist.");
    }

    String uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body)
            throws S3Exception, IOException {
        if (partNumber < 1 || partNumber > 10000) {
            throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }
        Path d = upload(bucket, key, uploadId);
        Path tmp = store.newTempFile();
        try {
            MessageDigest md5 = Etags.md5();
            store.writer().write(body, tmp, md5);
            Files.move(tmp, d.resolve(partName(partNumber)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Etags.quote(md5.digest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String partName(int n) {
        return String.format("part-%05d", n);
    }

    ObjectInfo complete(String bucket, String key, String uploadId, byte[] xml) throws S3Exception, IOException {
        Path d = upload(bucket, key, uploadId);
        List<int[]> order = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        parseParts(xml, order, etags);
        if (order.isEmpty()) {
            throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed");
        }
        MessageDigest ofDigests = Etags.md5();
        Path tmp = store.newTempFile();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            int prev = 0;
            for (int i = 0; i < order.size(); i++) {
                int n = order.get(i)[0];
                if (n <= prev) {
                    throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
                }
                prev = n;
                Path part = d.resolve(partName(n));
                if (!Files.isRegularFile(part)) {
                    throw invalidPart();
                }
                byte[] partMd5 = md5Of(part);
                String want = etags.get(i).replace("\"", "");
                if (!want.equals(HexFormat.of().formatHex(partMd5))) {
                    throw invalidPart();
                }
                ofDigests.update(partMd5);
                try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
                    long pos = 0;
                    long size = in.size();
                    while (pos < size) {
                        pos += in.transferTo(pos, size - pos, out);
                    }
                }
            }
            out.close();
            String etag = "\"" + HexFormat.of().formatHex(ofDigests.digest()) + "-" + order.size() + "\"";
            ObjectInfo info = store.commit(bucket, key, store.objectPath(bucket, key), tmp, etag, false, null);
            deleteTree(d);
            return info;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void abort(String bucket, String key, String uploadId) throws S3Exception, IOException {
        deleteTree(upload(bucket, key, uploadId));
    }

    private static S3Exception invalidPart() {
        return new S3Exception(400, "InvalidPart",
                "One or more of the specified parts could not be found or its entity tag did not match.");
    }

    private static byte[] md5Of(Path file) throws IOException {
        MessageDigest md5 = Etags.md5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md5.update(buf, 0, n);
            }
        }
        return md5.digest();
    }

    private static void parseParts(byte[] xml, List<int[]> numbers, List<String> etags) throws S3Exception {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            NodeList parts = doc.getElementsByTagNameNS("*", "Part");
            for (int i = 0; i < parts.getLength(); i++) {
                Element p = (Element) parts.item(i);
                numbers.add(new int[] {Integer.parseInt(text(p, "PartNumber"))});
                etags.add(text(p, "ETag"));
            }
        } catch (S3Exception e) {
            throw e;
        } catch (Exception e) {
            throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed");
        }
    }

    private static String text(Element parent, String name) throws S3Exception {
        NodeList l = parent.getElementsByTagNameNS("*", name);
        if (l.getLength() == 0) {
            throw new S3Exception(400, "MalformedXML", "Part without " + name);
        }
        return l.item(0).getTextContent().trim();
    }

    private static void deleteTree(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
