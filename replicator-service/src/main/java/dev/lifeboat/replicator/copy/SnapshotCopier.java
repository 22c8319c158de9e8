package dev.lifeboat.replicator.copy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.lifeboat.common.io.BoundedPipe;
import dev.lifeboat.common.snapshotfile.Sha256;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * Copies one verified snapshot from a source region to a target region so that it is complete
 * and checkable there on its own: the stored snapshot object (the manifest's {@code objectName},
 * copied as stored, whatever its encoding) streamed in parts, then {@code verification.json}, then
 * the object read back from the target and its sha256 compared with the manifest's
 * {@code storedSha256}, and only then {@code manifest.json}. A copy that does not match is deleted
 * before its manifest is ever written, so no region shows a damaged snapshot as complete.
 * A target that already holds a matching copy is not written again.
 */
public class SnapshotCopier {
    private static final Logger LOG = Logger.getLogger(SnapshotCopier.class);
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String JSON = "application/json";

    private final int readAheadChunks;
    private final int chunkSize;

    /** Read-ahead of {@code readAheadChunks × chunkSize} bytes per copy. */
    public SnapshotCopier(int readAheadChunks, int chunkSize) {
        this.readAheadChunks = readAheadChunks;
        this.chunkSize = chunkSize;
    }

    /** Read-ahead of one upload part (16 MiB in 1 MiB chunks). */
    public SnapshotCopier() {
        this(16, 1 << 20);
    }

    /**
     * Makes the snapshot complete and verified in {@code target}.
     *
     * @throws ReplicationFailure with the reason and whether another attempt can help
     */
    public CopyResult copy(ObjectStore source, ObjectStore target, String clusterId, String snapshotId) {
        long started = System.nanoTime();
        String manifestKey = SnapshotLayout.manifestKey(clusterId, snapshotId);
        String verificationKey = SnapshotLayout.verificationKey(clusterId, snapshotId);

        byte[] manifestBytes = readSource(source, manifestKey, "its manifest");
        SnapshotManifest manifest = parse(manifestBytes, source.regionName(), clusterId, snapshotId);
        // the stored object is copied as it is (encoded or not): its key and checksum come from the manifest
        String snapshotKey = SnapshotLayout.objectKey(manifest);
        byte[] verification = readSource(source, verificationKey, "its verification report");
        onTarget(target, () -> {
            target.ensureBucket();
            return null;
        });

        boolean repaired = false;
        if (onTarget(target, () -> target.stat(manifestKey)).isPresent()) {
            Optional<CopyResult> present = existingCopy(target, manifest, snapshotKey, verificationKey, verification,
                    started);
            if (present.isPresent()) {
                return present.get();
            }
            // Damaged or incomplete copy behind a manifest: hide it first, then remove the rest.
            LOG.warnf("copy of %s/%s in %s does not match its manifest; replacing it", clusterId, snapshotId,
                    target.regionName());
            onTarget(target, () -> {
                target.delete(manifestKey);
                target.deleteAll(List.of(snapshotKey, verificationKey));
                return null;
            });
            repaired = true;
        }

        long copied = copySnapshot(source, target, snapshotKey);
        if (copied != manifest.storedSizeBytes()) {
            throw new ReplicationFailure(FailureReason.CHECKSUM_MISMATCH, source.regionName(), false,
                    "snapshot object in " + source.regionName() + " has " + copied + " bytes but its manifest says "
                            + manifest.storedSizeBytes(), null);
        }
        onTarget(target, () -> {
            target.put(verificationKey, new ByteArrayInputStream(verification), verification.length, JSON);
            return null;
        });
        Sha256 readBack = readBack(target, snapshotKey);
        if (!readBack.matches(manifest.storedSha256(), manifest.storedSizeBytes())) {
            onTarget(target, () -> {
                target.deleteAll(List.of(snapshotKey, verificationKey));
                return null;
            });
            throw new ReplicationFailure(FailureReason.CHECKSUM_MISMATCH, target.regionName(), true,
                    "copy in " + target.regionName() + " reads back as sha256 " + readBack.hex() + " (" + readBack.bytes()
                            + " bytes), manifest says " + manifest.storedSha256() + "; deleted the copy", null);
        }
        // Written last: from here on the snapshot is complete in the target region.
        onTarget(target, () -> {
            target.put(manifestKey, new ByteArrayInputStream(manifestBytes), manifestBytes.length, JSON);
            return null;
        });
        return new CopyResult(manifest.storedSizeBytes(), copied, readBack.hex(), millisSince(started), repaired);
    }

    private Optional<CopyResult> existingCopy(ObjectStore target, SnapshotManifest manifest, String snapshotKey,
                                              String verificationKey, byte[] verification, long started) {
        Optional<StoredObject> object = onTarget(target, () -> target.stat(snapshotKey));
        if (object.isEmpty() || object.get().size() != manifest.storedSizeBytes()) {
            return Optional.empty();
        }
        Sha256 readBack = readBack(target, snapshotKey);
        if (!readBack.hex().equalsIgnoreCase(manifest.storedSha256())) {
            return Optional.empty();
        }
        if (onTarget(target, () -> target.stat(verificationKey)).isEmpty()) {
            onTarget(target, () -> {
                target.put(verificationKey, new ByteArrayInputStream(verification), verification.length, JSON);
                return null;
            });
        }
        return Optional.of(new CopyResult(manifest.storedSizeBytes(), 0, readBack.hex(), millisSince(started), false));
    }

    private long copySnapshot(ObjectStore source, ObjectStore target, String snapshotKey) {
        InputStream in = onSource(source, () -> source.get(snapshotKey), "its snapshot object");
        BoundedPipe.ReadAhead ahead = BoundedPipe.readAhead(in, readAheadChunks, chunkSize);
        try (ahead) {
            target.put(snapshotKey, ahead, -1, OCTET_STREAM);
            return ahead.bytesRead();
        } catch (StoreException e) {
            if (ahead.sourceFailure() != null) {
                throw new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, source.regionName(), true,
                        "reading " + snapshotKey + " from " + source.regionName() + " failed: "
                                + ahead.sourceFailure().getMessage(), e);
            }
            throw unavailable(target, e);
        } catch (IOException e) {
            throw new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, source.regionName(), true,
                    "closing " + snapshotKey + " from " + source.regionName() + " failed: " + e.getMessage(), e);
        }
    }

    private Sha256 readBack(ObjectStore target, String key) {
        try (InputStream in = onTarget(target, () -> target.get(key))) {
            return Sha256.of(in);
        } catch (ObjectMissingException e) {
            throw new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, target.regionName(), true,
                    key + " vanished from " + target.regionName() + " right after it was written", e);
        } catch (IOException e) {
            throw new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, target.regionName(), true,
                    "reading back " + key + " from " + target.regionName() + " failed: " + e.getMessage(), e);
        }
    }

    private byte[] readSource(ObjectStore source, String key, String what) {
        try (InputStream in = onSource(source, () -> source.get(key), what)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, source.regionName(), true,
                    "reading " + key + " from " + source.regionName() + " failed: " + e.getMessage(), e);
        }
    }

    private static SnapshotManifest parse(byte[] bytes, String region, String clusterId, String snapshotId) {
        SnapshotManifest manifest;
        try {
            manifest = EventJson.mapper().readValue(bytes, SnapshotManifest.class);
        } catch (IOException e) {
            throw new ReplicationFailure(FailureReason.MANIFEST_UNREADABLE, region, false,
                    "manifest in " + region + " is unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!clusterId.equals(manifest.clusterId()) || !snapshotId.equals(manifest.snapshotId())) {
            throw new ReplicationFailure(FailureReason.MANIFEST_UNREADABLE, region, false, "manifest of "
                    + clusterId + "/" + snapshotId + " in " + region + " describes another snapshot", null);
        }
        try {
            SnapshotLayout.requireObjectName(manifest.objectName());
        } catch (IllegalArgumentException e) {
            throw new ReplicationFailure(FailureReason.MANIFEST_UNREADABLE, region, false,
                    "manifest in " + region + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    private static <T> T onSource(ObjectStore source, Supplier<T> call, String what) {
        try {
            return call.get();
        } catch (ObjectMissingException e) {
            throw new ReplicationFailure(FailureReason.SOURCE_MISSING, source.regionName(), false,
                    "the snapshot is no longer complete in " + source.regionName() + ": " + what + " ("
                            + e.key() + ") is missing", e);
        } catch (StoreException e) {
            throw unavailable(source, e);
        }
    }

    private static <T> T onTarget(ObjectStore target, Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw unavailable(target, e);
        }
    }

    private static ReplicationFailure unavailable(ObjectStore store, StoreException e) {
        return new ReplicationFailure(FailureReason.STORE_UNAVAILABLE, store.regionName(), true, e.getMessage(), e);
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
