package dev.lifeboat.events;

import java.time.Instant;

/** A verified snapshot is complete and checksum-verified in {@code region}. One per snapshot and region. */
public record SnapshotReplicated(
        String clusterId,
        String snapshotId,
        String sourceRegion,
        String region,
        long bytes,
        long durationMillis,
        String sha256,
        Instant replicatedAt) implements LifeboatEvent {
    @Override public String type() { return EventTypes.SNAPSHOT_REPLICATED; }
    @Override public String topic() { return Topics.SNAPSHOTS_REPLICATED; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return "replicated/" + clusterId + "/" + snapshotId + "/" + region; }
}
