package dev.lifeboat.snapshot.service;

import dev.lifeboat.events.FailureReason;

/** A snapshot attempt failed for a known reason; becomes a {@code BackupFailed} event. */
public class SnapshotFailedException extends RuntimeException {
    private final FailureReason reason;

    public SnapshotFailedException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public SnapshotFailedException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
