package dev.lifeboat.verifier.inspect;

import dev.lifeboat.events.FailureReason;

/**
 * The snapshot file is not a valid etcd snapshot. The {@link #reason()} says why, in the same codes
 * a {@code BackupFailed} event carries: {@link FailureReason#TRUNCATED}, {@link FailureReason#HASH_MISMATCH}
 * or {@link FailureReason#CORRUPT_DB}.
 */
public class CorruptSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    public CorruptSnapshotException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
