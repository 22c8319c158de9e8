package dev.lifeboat.snapshot.service;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;

/** A snapshot attempt failed for a known reason; becomes a {@code BackupFailed} event. */
public class SnapshotFailedException extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    public SnapshotFailedException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public SnapshotFailedException(FailureReason reason, String message, Throwable cause) {
        super(reason, null, false, message, cause);
    }
}
