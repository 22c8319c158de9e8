package dev.lifeboat.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Every check of a snapshot passed; the full report is also stored as {@code verification.json}. */
public record SnapshotVerified(
        String clusterId,
        String snapshotId,
        String region,
        String sha256,
        Status status,
        long liveKeys,
        long compactRevision,
        String clusterVersion,
        List<String> members,
        ContentReport content,
        RestoreDrill drill,
        Instant verifiedAt,
        long durationMillis) implements LifeboatEvent {
    @Override public String type() { return EventTypes.SNAPSHOT_VERIFIED; }
    @Override public String topic() { return Topics.SNAPSHOTS_VERIFIED; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return "verified/" + clusterId + "/" + snapshotId; }

    /** The same four figures {@code etcdctl snapshot status} prints for the file. */
    public record Status(long hash, long revision, long totalKeys, long totalSize) {}

    /** What the live keys hold, as Kubernetes sees it. */
    public record ContentReport(
            long kubernetesObjects,
            Map<String, Long> objectsByResource,
            Map<String, Long> objectsByNamespace,
            List<String> namespaces,
            Map<String, Long> customResourcesByGroup,
            long encryptedValues,
            Map<String, Long> encryptedByProvider) {}

    /** The test-restore into a scratch etcd and how long each part took. */
    public record RestoreDrill(
            long restoreMillis,
            long startMillis,
            long firstReadMillis,
            long rtoMillis,
            long revision,
            long liveKeys,
            int sampledKeys) {}
}
