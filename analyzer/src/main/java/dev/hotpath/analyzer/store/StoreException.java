package dev.hotpath.analyzer.store;

/** A workspace that cannot be opened, read or written; the message is one line naming the location. */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
