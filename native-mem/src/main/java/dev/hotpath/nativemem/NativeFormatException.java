package dev.hotpath.nativemem;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A native-memory artifact that cannot be read at all (wrong type, empty, NMT disabled). The message is one line that
 * names the file and, where known, the line and the offending text, so callers can show it to a user unchanged.
 */
public class NativeFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String detail;

    public NativeFormatException(Path file, String what) {
        super(file + ": " + what);
        this.detail = what;
    }

    public NativeFormatException(Path file, int line, String what) {
        super(file + ": " + what + " (line " + line + ")");
        this.detail = what + " (line " + line + ")";
    }

    /** The message without the file name, for callers that name the file themselves. */
    public String detail() {
        return detail;
    }
}
