package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A device benchmark's result, whichever tool wrote it: fio JSON, or elbencho's CSV or JSON results file. */
public final class DeviceResults {
    private DeviceResults() {
    }

    public static DeviceBaseline read(Path file, Artifact artifact) throws IOException, UnusableInputException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        String start = new String(head, StandardCharsets.ISO_8859_1).stripLeading();
        int eol = start.indexOf('\n');
        String firstLine = eol < 0 ? start : start.substring(0, eol);
        if (ElbenchoResultReader.isCsvHeader(firstLine.strip()) || start.startsWith("[")) {
            return ElbenchoResultReader.read(file, artifact);
        }
        return FioResultReader.read(file, artifact);
    }
}
