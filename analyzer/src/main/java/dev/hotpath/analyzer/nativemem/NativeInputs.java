package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;

import java.io.IOException;
import java.nio.file.Files;

/** Shared bits of the native-memory ingesters. */
final class NativeInputs {
    private NativeInputs() {
    }

    static UnusableInputException unusable(Artifact a, NativeFormatException e) {
        return new UnusableInputException(a.path(), e.detail());
    }

    static long mtime(Artifact a) {
        try {
            return Files.getLastModifiedTime(a.path()).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }
}
