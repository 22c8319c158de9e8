package dev.lifeboat.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code manifest.json}: written last, so its presence means the snapshot is complete. It
 * describes the snapshot on its own, so a region's store is enough to find, check and restore it.
 *
 * <p>Two files are described: the <em>raw</em> etcd snapshot file ({@code sizeBytes},
 * {@code sha256}) and the <em>stored</em> object ({@code objectName}, {@code storedSizeBytes},
 * {@code storedSha256}), which is the raw file after its {@code encoding}. With the identity
 * encoding both are the same bytes. Manifests written before encodings were recorded have no
 * {@code encoding}, {@code storedSizeBytes} or {@code storedSha256}: they read as identity, with
 * the stored values equal to the raw ones (which is what they meant).
 *
 * @param format          {@code etcd-snapshot-v1}: the raw file is byte-identical to {@code etcdctl snapshot save} output
 * @param sizeBytes       size of the raw etcd snapshot file
 * @param sha256          hex sha256 of the whole raw file, trailer included
 * @param objectName      name of the stored object beside the manifest: {@code snapshot.db} plus the encoding's suffix
 * @param producedBy      what wrote it, e.g. {@code lifeboat-snapshot-service/0.1.0 (jetcd Maintenance.snapshot)}
 * @param kvHash          etcd's own HashKV of the member at the snapshot's revision, when it could be
 *                        taken: an oracle independent of the file, which a restored etcd must reproduce
 * @param encoding        {@link SnapshotEncoding#name()} of what turned the raw file into the stored object
 * @param storedSizeBytes size of the stored object
 * @param storedSha256    hex sha256 of the stored object
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
        KvHash kvHash,
        String encoding,
        Long storedSizeBytes,
        String storedSha256) {

    public static final String FORMAT = "etcd-snapshot-v1";

    public SnapshotManifest {
        format = format == null ? FORMAT : format;
        encoding = encoding == null ? SnapshotEncoding.IDENTITY.name() : encoding;
        objectName = objectName == null ? SnapshotLayout.SNAPSHOT : objectName;
        storedSizeBytes = storedSizeBytes == null ? Long.valueOf(sizeBytes) : storedSizeBytes;
        storedSha256 = storedSha256 == null ? sha256 : storedSha256;
    }

    public static Builder builder(String clusterId, String snapshotId) {
        return new Builder(clusterId, snapshotId);
    }

    /** A builder with every field of this manifest, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(clusterId, snapshotId);
        b.format = format;
        b.takenAt = takenAt;
        b.revision = revision;
        b.memberId = memberId;
        b.memberEndpoint = memberEndpoint;
        b.etcdVersion = etcdVersion;
        b.sizeBytes = sizeBytes;
        b.sha256 = sha256;
        b.objectName = objectName;
        b.trigger = trigger;
        b.producedBy = producedBy;
        b.durationMillis = durationMillis;
        b.kvHash = kvHash;
        b.encoding = encoding;
        b.storedSizeBytes = storedSizeBytes;
        b.storedSha256 = storedSha256;
        return b;
    }

    /**
     * etcd's {@code HashKV} at {@code revision}: a hash of every key revision up to it, as computed
     * by the member itself. Comparable with another etcd's only at the same compaction revision.
     *
     * @param hash            the unsigned 32-bit hash
     * @param compactRevision the compaction revision the hash was computed from (-1: none)
     */
    public record KvHash(long revision, long hash, long compactRevision) {}

    /** Builds a manifest by field name; what is not set is absent (null or 0). */
    public static final class Builder {
        private final String clusterId;
        private final String snapshotId;
        private String format = FORMAT;
        private Instant takenAt;
        private long revision;
        private String memberId;
        private String memberEndpoint;
        private String etcdVersion;
        private long sizeBytes;
        private String sha256;
        private String objectName;
        private String trigger;
        private String producedBy;
        private long durationMillis;
        private KvHash kvHash;
        private String encoding;
        private Long storedSizeBytes;
        private String storedSha256;

        private Builder(String clusterId, String snapshotId) {
            this.clusterId = SnapshotIds.requireClusterId(clusterId);
            this.snapshotId = SnapshotIds.requireSnapshotId(snapshotId);
        }

        public Builder format(String v) { format = v; return this; }
        public Builder takenAt(Instant v) { takenAt = v; return this; }
        public Builder revision(long v) { revision = v; return this; }
        public Builder memberId(String v) { memberId = v; return this; }
        public Builder memberEndpoint(String v) { memberEndpoint = v; return this; }
        public Builder etcdVersion(String v) { etcdVersion = v; return this; }
        public Builder trigger(String v) { trigger = v; return this; }
        public Builder producedBy(String v) { producedBy = v; return this; }
        public Builder duration(Duration v) { durationMillis = v.toMillis(); return this; }
        public Builder durationMillis(long v) { durationMillis = v; return this; }
        public Builder kvHash(KvHash v) { kvHash = v; return this; }

        /** The raw etcd snapshot file. */
        public Builder raw(long size, String sha256Hex) {
            sizeBytes = size;
            sha256 = sha256Hex;
            return this;
        }

        /** The stored object and the encoding that made it from the raw file. */
        public Builder stored(SnapshotEncoding by, long size, String sha256Hex) {
            encoding = by.name();
            objectName = SnapshotLayout.SNAPSHOT + by.suffix();
            storedSizeBytes = size;
            storedSha256 = sha256Hex;
            return this;
        }

        /** The stored object is the raw file itself (identity encoding). */
        public Builder storedAsIs(long size, String sha256Hex) {
            raw(size, sha256Hex);
            return stored(SnapshotEncoding.IDENTITY, size, sha256Hex);
        }

        /** Names the stored object directly, e.g. to record a manifest as an older or foreign writer did. */
        public Builder objectName(String v) { objectName = v; return this; }

        public SnapshotManifest build() {
            Objects.requireNonNull(takenAt, "takenAt");
            return new SnapshotManifest(format, clusterId, snapshotId, takenAt, revision, memberId, memberEndpoint,
                    etcdVersion, sizeBytes, sha256, objectName, trigger, producedBy, durationMillis, kvHash, encoding,
                    storedSizeBytes, storedSha256);
        }
    }
}
