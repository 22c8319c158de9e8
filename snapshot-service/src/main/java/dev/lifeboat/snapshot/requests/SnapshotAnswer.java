package dev.lifeboat.snapshot.requests;

/**
 * The owner's decision on a {@link SnapshotRequest}, made atomically with its own schedule.
 *
 * @param snapshotId the accepted snapshot, or the one already running (BUSY)
 */
public record SnapshotAnswer(String requestId, String clusterId, Outcome outcome, String snapshotId, String detail) {
    public enum Outcome { ACCEPTED, BUSY, NOT_REGISTERED, UNAVAILABLE }
}
