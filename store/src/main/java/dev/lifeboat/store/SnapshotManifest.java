package dev.lifeboat.store;

import java.time.Instant;

/**
 * {@code manifest.json}: written last, so its presence means the snapshot is complete. It
 * describes the snapshot on its own, so a region's store is enough to find, check and restore it.
 *
 * @param format       {@code etcd-snapshot-v1}: byte-identical to {@code etcdctl snapshot save} output
 * @param objectName   name of the snapshot object beside the manifest (a suffix records later
 *                     options such as compression)
 * @param sha256       hex sha256 of the whole object, trailer included
 * @param producedBy   what wrote it, e.g. {@code lifeboat-snapshot-service/0.1.0 (jetcd Maintenance.snapshot)}
 */
public record SnapshotManifest(
        String format,
        String clusterId,
        String snapshotId,
        Instant takenAt,
        long revision,
        String memberId,
        String memberEndpoint,
        String etcdVersion,
        long sizeBytes,
        String sha256,
        String objectName,
        String trigger,
        String producedBy,
        long durationMillis) {

    public static final String FORMAT = "etcd-snapshot-v1";
}
