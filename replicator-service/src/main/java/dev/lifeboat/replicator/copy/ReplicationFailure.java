package dev.lifeboat.replicator.copy;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;

/**
 * One attempt to copy a snapshot to a region failed, with the reason code its failure event
 * carries, the region where it failed (the source or the target) and whether trying again can help.
 */
public class ReplicationFailure extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    public ReplicationFailure(FailureReason reason, String region, boolean retriable, String message, Throwable cause) {
        super(reason, region, retriable, message, cause);
    }
}
