package dev.lifeboat.replicator.replication;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.replicator.copy.CopyResult;

/**
 * How the replication of one snapshot to one region ended.
 *
 * @param result   set when the snapshot is complete and verified in the region
 * @param reason   set when it failed for good (its failure event is published)
 * @param attempts attempts made
 */
public record RegionOutcome(String region, CopyResult result, FailureReason reason, int attempts) {
    public static RegionOutcome succeeded(String region, CopyResult result, int attempts) {
        return new RegionOutcome(region, result, null, attempts);
    }

    public static RegionOutcome failed(String region, FailureReason reason, int attempts) {
        return new RegionOutcome(region, null, reason, attempts);
    }

    /** Not tried: another copy of the same snapshot to the same region was running. */
    public static RegionOutcome skipped(String region) {
        return new RegionOutcome(region, null, null, 0);
    }

    public boolean succeeded() {
        return result != null;
    }
}
