package dev.lifeboat.inspect.bolt;

/** The bbolt database is not valid; {@link #truncated()} tells a too-short file from a damaged one. */
public class BoltFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean truncated;

    public BoltFormatException(String message) {
        this(message, false);
    }

    public BoltFormatException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    /** The structure needs more bytes than the file holds. */
    public boolean truncated() {
        return truncated;
    }
}
