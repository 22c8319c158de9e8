package dev.lifeboat.common.failure;

import java.util.Objects;

import dev.lifeboat.events.FailureReason;

/**
 * A failure Lifeboat knows the reason of: it becomes a {@code BackupFailed} event with
 * {@link #reason()}. Every stage's own failure type is one of these (snapshot, verification,
 * restore drill, replication), so the code that publishes failures handles one shape.
 */
public class LifeboatFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final String region;
    private final boolean retriable;

    /**
     * @param region    the region where it failed, or null when no region is at fault (etcd, the snapshot itself)
     * @param retriable whether another attempt later can succeed (a store outage) or not (a corrupt snapshot)
     */
    public LifeboatFailure(FailureReason reason, String region, boolean retriable, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.region = region;
        this.retriable = retriable;
    }

    public LifeboatFailure(FailureReason reason, String message) {
        this(reason, null, false, message, null);
    }

    public FailureReason reason() {
        return reason;
    }

    /** The region where it failed, or null when no region is at fault. */
    public String region() {
        return region;
    }

    public boolean retriable() {
        return retriable;
    }
}
