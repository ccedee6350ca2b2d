package dev.hotpath.analyzer.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams an agent snapshot with Jackson's token parser: memory is the call sites kept, not the file. A snapshot cut
 * short (a copy taken mid-write of a file that was not renamed atomically) keeps the call sites read so far and says
 * where it stopped through {@code notes}; a file that is not a snapshot at all throws {@link UnusableInputException}.
 */
public final class AgentSnapshotReader {
    private static final JsonFactory JSON = new JsonFactory();

    private AgentSnapshotReader() {
    }

    public static IoSnapshot read(Path file, Artifact artifact, Consumer<String> notes)
            throws IOException, UnusableInputException {
        long pid = -1;
        Instant startedAt = null;
        Instant capturedAt = null;
        long dropped = 0;
        List<IoCallSite> sites = new ArrayList<>();
        boolean sawCallSites = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new UnusableInputException(file, "not an agent snapshot (expected a JSON object)");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "pid" -> pid = p.getValueAsLong(-1);
                        case "startedAt" -> startedAt = instant(p.getValueAsString());
                        case "capturedAt" -> capturedAt = instant(p.getValueAsString());
                        case "dropped" -> dropped = p.getValueAsLong(0);
                        case "callSites" -> {
                            if (v != JsonToken.START_ARRAY) {
                                throw new UnusableInputException(file, p.currentLocation().getByteOffset(),
                                        "\"callSites\" is not an array");
                            }
                            sawCallSites = true;
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                sites.add(callSite(p, file));
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } catch (JsonEOFException e) {
                if (!sawCallSites) {
                    throw new UnusableInputException(file, "truncated before its \"callSites\" array");
                }
                notes.accept(file.getFileName() + ": truncated at byte " + e.getLocation().getByteOffset()
                        + "; read " + sites.size() + " call sites");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // also a number out of range of its field, or a name over Jackson's length limit
                // (corpus agentSnapshot/crash-name-too-long); those may carry no location
                long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
                if (!sawCallSites || sites.isEmpty()) {
                    throw new UnusableInputException(file, at, "not valid JSON: " + e.getOriginalMessage());
                }
                notes.accept(file.getFileName() + ": invalid JSON at byte " + at + "; read " + sites.size() + " call sites");
            } catch (java.io.CharConversionException e) {
                // bytes that are no Unicode text in the encoding Jackson detected (corpus agentSnapshot/crash-not-text)
                throw new UnusableInputException(file, "not JSON text: " + e.getMessage());
            }
        }
        if (!sawCallSites) {
            throw new UnusableInputException(file, "not an agent snapshot (no \"callSites\" array)");
        }
        return new IoSnapshot(artifact, pid, startedAt, capturedAt, dropped, sites);
    }

    private static IoCallSite callSite(JsonParser p, Path file) throws IOException, UnusableInputException {
        String site = null;
        String kind = null;
        String op = null;
        String target = "";
        String pattern = "n/a";
        long count = 0;
        long bytes = 0;
        long[] lat = new long[5];
        long distinct = -1;
        boolean saturated = false;
        List<IoLatencyBucket> buckets = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "site" -> site = p.getValueAsString();
                case "kind" -> kind = p.getValueAsString();
                case "op" -> op = p.getValueAsString();
                case "target" -> target = p.getValueAsString("");
                case "count" -> count = p.getValueAsLong(0);
                case "bytes" -> bytes = p.getValueAsLong(0);
                case "pattern" -> pattern = p.getValueAsString("n/a");
                case "distinctBytes" -> {
                    if (v.isScalarValue()) {
                        distinct = p.getValueAsLong(-1);
                    } else {
                        p.skipChildren();
                    }
                }
                case "distinctSaturated" -> {
                    if (v.isScalarValue()) {
                        saturated = p.getValueAsBoolean(false);
                    } else {
                        p.skipChildren();
                    }
                }
                case "latencyNanos" -> {
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String q = p.currentName();
                        p.nextToken();
                        int i = switch (q) {
                            case "p50" -> 0;
                            case "p90" -> 1;
                            case "p99" -> 2;
                            case "p999" -> 3;
                            case "max" -> 4;
                            default -> -1;
                        };
                        if (i >= 0) {
                            lat[i] = p.getValueAsLong(0);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "latencyBuckets" -> readBuckets(p, v, buckets);
                default -> p.skipChildren();
            }
        }
        if (site == null || kind == null || op == null) {
            throw new UnusableInputException(file, p.currentLocation().getByteOffset(),
                    "call site without \"site\", \"kind\" or \"op\"");
        }
        return new IoCallSite(site, kind, op, target, count, bytes, lat[0], lat[1], lat[2], lat[3], lat[4], pattern,
                buckets, distinct, saturated);
    }

    /** {@code "latencyBuckets":[{"fromNanos":..,"toNanos":..,"count":..},...]}; malformed entries are skipped. */
    private static void readBuckets(JsonParser p, JsonToken v, List<IoLatencyBucket> out) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            long from = -1;
            long to = -1;
            long count = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "fromNanos" -> from = p.getValueAsLong(-1);
                    case "toNanos" -> to = p.getValueAsLong(-1);
                    case "count" -> count = p.getValueAsLong(-1);
                    default -> p.skipChildren();
                }
            }
            if (from >= 0 && to > from && count > 0 && out.size() < 256) {
                out.add(new IoLatencyBucket(from, to, count));
            }
        }
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
