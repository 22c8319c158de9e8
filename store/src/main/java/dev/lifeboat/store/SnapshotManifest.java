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
 * @param kvHash       etcd's own HashKV of the member at the snapshot's revision, when it could be
 *                     taken: an oracle independent of the file, which a restored etcd must reproduce
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
        long durationMillis,
        KvHash kvHash) {

    public static final String FORMAT = "etcd-snapshot-v1";

    /** A manifest without a KV hash (as written before it was recorded, or when etcd could not compute it). */
    public SnapshotManifest(String format, String clusterId, String snapshotId, Instant takenAt, long revision,
                            String memberId, String memberEndpoint, String etcdVersion, long sizeBytes, String sha256,
                            String objectName, String trigger, String producedBy, long durationMillis) {
        this(format, clusterId, snapshotId, takenAt, revision, memberId, memberEndpoint, etcdVersion, sizeBytes, sha256,
                objectName, trigger, producedBy, durationMillis, null);
    }

    /**
     * etcd's {@code HashKV} at {@code revision}: a hash of every key revision up to it, as computed
     * by the member itself. Comparable with another etcd's only at the same compaction revision.
     *
     * @param hash            the unsigned 32-bit hash
     * @param compactRevision the compaction revision the hash was computed from (-1: none)
     */
    public record KvHash(long revision, long hash, long compactRevision) {}
}
