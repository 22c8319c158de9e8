package dev.lifeboat.events;

import java.time.Instant;

/**
 * A complete snapshot is in the primary region: {@code snapshot.db} and, written last,
 * {@code manifest.json}.
 *
 * @param region       name of the region holding it (the primary)
 * @param objectKey    key of {@code snapshot.db}
 * @param sizeBytes    object size, trailer included
 * @param sha256       hex sha256 of the whole object
 * @param revision     etcd revision of the member when the snapshot started
 * @param memberId     hex id of the member the snapshot was streamed from
 * @param etcdVersion  server version of that member
 * @param trigger      SCHEDULE or ON_DEMAND
 */
public record SnapshotTaken(
        String clusterId,
        String snapshotId,
        String region,
        String objectKey,
        long sizeBytes,
        String sha256,
        long revision,
        String memberId,
        String etcdVersion,
        String trigger,
        Instant takenAt,
        long durationMillis) implements LifeboatEvent {
    @Override public String type() { return EventTypes.SNAPSHOT_TAKEN; }
    @Override public String topic() { return Topics.SNAPSHOTS_TAKEN; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return "taken/" + clusterId + "/" + snapshotId; }
}
