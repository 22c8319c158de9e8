package dev.lifeboat.snapshot.taking;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;

/** A snapshot attempt failed for a known reason; becomes a {@code BackupFailed} event. */
public class SnapshotFailedException extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    private final boolean manifestMayExist;

    public SnapshotFailedException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public SnapshotFailedException(FailureReason reason, String message, Throwable cause) {
        this(reason, message, cause, false);
    }

    /**
     * @param manifestMayExist the manifest's write failed ambiguously and its absence could not be
     *                         confirmed: the snapshot object must then be kept
     */
    public SnapshotFailedException(FailureReason reason, String message, Throwable cause, boolean manifestMayExist) {
        super(reason, null, false, message, cause);
        this.manifestMayExist = manifestMayExist;
    }

    public boolean manifestMayExist() {
        return manifestMayExist;
    }
}
