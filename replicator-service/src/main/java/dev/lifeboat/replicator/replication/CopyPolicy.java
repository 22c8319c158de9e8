package dev.lifeboat.replicator.replication;

import java.time.Duration;
import java.time.Instant;

import dev.lifeboat.events.FailureReason;

/**
 * Why a snapshot is copied to a region decides how the copy is retried and what is reported:
 * {@link EventCopyPolicy} for a fresh verified snapshot, {@link ReconciliationCopyPolicy} for the
 * periodic catch-up.
 *
 * <p>Retries are layered, each layer bounded: the object store retries each idempotent call a few
 * times within a second (a dropped connection, a 5xx); this policy retries the whole copy over a
 * region outage, for a bounded time.
 */
public sealed interface CopyPolicy permits EventCopyPolicy, ReconciliationCopyPolicy {

    /** Event copies are the newest snapshots: they run before any reconciliation copy that waits. */
    enum Priority { EVENT, RECONCILIATION }

    Priority priority();

    /**
     * The wait before another attempt after attempt {@code attempt} (started at {@code started})
     * failed retriably at {@code now}; null: give up.
     */
    Duration retryAfter(int attempt, Instant started, Instant now);

    /** The wait while another copy of the same snapshot to the same region runs; null: skip it. */
    Duration whileAnotherCopyRuns();

    /** Whether a copy that ended for good with {@code reason} is published as a failure. */
    boolean publishes(FailureReason reason);
}
