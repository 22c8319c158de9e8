package dev.lifeboat.replicator.copy;

import dev.lifeboat.events.FailureReason;

/**
 * One attempt to copy a snapshot to a region failed, with the reason code its failure event
 * carries and whether trying again can help.
 */
public class ReplicationFailure extends RuntimeException {
    private final FailureReason reason;
    private final String region;
    private final boolean retriable;

    public ReplicationFailure(FailureReason reason, String region, boolean retriable, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.region = region;
        this.retriable = retriable;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The region where it failed: the source or the target. */
    public String region() {
        return region;
    }

    public boolean retriable() {
        return retriable;
    }
}
