package dev.lifeboat.replicator.replication;

import java.time.Duration;
import java.time.Instant;

import dev.lifeboat.events.FailureReason;

/**
 * A copy reconciliation makes: one attempt (the next run tries again), skipped while another copy
 * of the same snapshot runs, queued behind every event copy of the region. Only a copy that does
 * not match is published as a failure: an unavailable region or a broken source was reported by
 * the event's own attempts, and repeating that every run would bury the alert.
 */
public record ReconciliationCopyPolicy() implements CopyPolicy {

    @Override
    public Priority priority() {
        return Priority.RECONCILIATION;
    }

    @Override
    public Duration retryAfter(int attempt, Instant started, Instant now) {
        return null;
    }

    @Override
    public Duration whileAnotherCopyRuns() {
        return null;
    }

    @Override
    public boolean publishes(FailureReason reason) {
        return reason == FailureReason.CHECKSUM_MISMATCH;
    }
}
