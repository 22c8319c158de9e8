package dev.lifeboat.replicator.replication;

import java.time.Duration;
import java.time.Instant;

import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.events.FailureReason;

/**
 * The copy a verified event asks for: retried with exponential backoff while the store is
 * unavailable or the copy does not match, until {@code budget} has passed since the first attempt
 * (time-based, so a slow region restart is ridden out the same however long each attempt takes);
 * it waits for a copy of the same snapshot already running; every final failure is published.
 */
public record EventCopyPolicy(Backoff backoff, Duration budget) implements CopyPolicy {

    @Override
    public Priority priority() {
        return Priority.EVENT;
    }

    @Override
    public Duration retryAfter(int attempt, Instant started, Instant now) {
        Duration wait = backoff.after(attempt);
        return now.plus(wait).isAfter(started.plus(budget)) ? null : wait;
    }

    @Override
    public Duration whileAnotherCopyRuns() {
        return backoff.initial();
    }

    @Override
    public boolean publishes(FailureReason reason) {
        return true;
    }
}
