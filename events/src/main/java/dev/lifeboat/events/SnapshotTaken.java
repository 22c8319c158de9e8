package dev.lifeboat.events;

import java.time.Instant;

/**
 * A complete snapshot is in the primary region: {@code snapshot.db} and, written last,
 * {@code manifest.json}.
 *
 * @param region       name of the region holding it (the primary)
 * @param objectKey    key of the stored snapshot object, as the manifest's {@code objectName} says
 *                     ({@code snapshot.db} plus the encoding's suffix); readers take the key from
 *                     the manifest, this field is informative
 * @param sizeBytes    size of the raw etcd snapshot file, trailer included (the manifest's {@code sizeBytes})
 * @param sha256       hex sha256 of the whole raw file (the manifest's {@code sha256}); with the
 *                     identity encoding the stored object is that file
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
