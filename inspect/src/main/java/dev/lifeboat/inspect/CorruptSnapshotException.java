package dev.lifeboat.inspect;

/** The snapshot file is not a valid etcd snapshot; {@link #reason()} says why. */
public class CorruptSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Corruption reason;

    public CorruptSnapshotException(Corruption reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Corruption reason() {
        return reason;
    }
}
