package dev.lifeboat.events;

import java.time.Instant;

/** A snapshot was deleted from one region; {@code reason} names the rule that no longer kept it. */
public record SnapshotPruned(
        String clusterId,
        String snapshotId,
        String region,
        String reason,
        Instant takenAt,
        long bytesReclaimed,
        Instant prunedAt) implements LifeboatEvent {
    @Override public String type() { return EventTypes.SNAPSHOT_PRUNED; }
    @Override public String topic() { return Topics.SNAPSHOTS_PRUNED; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return "pruned/" + clusterId + "/" + snapshotId + "/" + region; }
}
