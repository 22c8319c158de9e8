package dev.lifeboat.store;

import java.util.Optional;
import java.util.OptionalLong;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.SnapshotVerified;

/**
 * {@code verification.json} beside each verified snapshot: the {@link SnapshotVerified} report
 * itself. Its presence means the snapshot is verified, so a region's store alone tells which
 * snapshots are good, and a redelivered event can be answered from it without a second drill.
 * A failed verdict is {@code verification-failed.json} (the {@link BackupFailed} event itself), so
 * a redelivery republishes the same failure instead of drilling again and perhaps contradicting it.
 */
public final class VerificationDocuments {
    private VerificationDocuments() {}

    public static Optional<SnapshotVerified> read(ObjectStore store, String clusterId, String snapshotId) {
        try {
            return Optional.of(store.getJson(SnapshotLayout.verificationKey(clusterId, snapshotId), SnapshotVerified.class));
        } catch (ObjectMissingException e) {
            return Optional.empty();
        }
    }

    public static void write(ObjectStore store, SnapshotVerified verified) {
        store.putJson(SnapshotLayout.verificationKey(verified.clusterId(), verified.snapshotId()), verified);
    }

    /** The recorded failed verdict of the snapshot, if it has one. */
    public static Optional<BackupFailed> readFailure(ObjectStore store, String clusterId, String snapshotId) {
        try {
            return Optional.of(store.getJson(SnapshotLayout.verificationFailedKey(clusterId, snapshotId),
                    BackupFailed.class));
        } catch (ObjectMissingException e) {
            return Optional.empty();
        }
    }

    /**
     * Records a passed verdict unless {@code verification.json} exists (a conditional create).
     * False: something was there already (or a retried write of this one lost its answer).
     */
    public static boolean writeIfAbsent(ObjectStore store, SnapshotVerified verified) {
        return store.putIfAbsent(SnapshotLayout.verificationKey(verified.clusterId(), verified.snapshotId()),
                ObjectStore.jsonBytes(verified), "application/json").isPresent();
    }

    /** Records a failed verdict unless {@code verification-failed.json} exists; as {@link #writeIfAbsent}. */
    public static boolean writeFailureIfAbsent(ObjectStore store, BackupFailed failure) {
        return store.putIfAbsent(SnapshotLayout.verificationFailedKey(failure.clusterId(), failure.snapshotId()),
                ObjectStore.jsonBytes(failure), "application/json").isPresent();
    }

    /**
     * Live keys of the newest verified snapshot of the cluster taken before {@code snapshotId}, the
     * baseline for "how much was lost since". A snapshot whose manifest or report cannot be read
     * is passed over, so one bad document never stops the verification of the others.
     */
    public static OptionalLong previousLiveKeys(ObjectStore store, String clusterId, String snapshotId) {
        for (CatalogEntry entry : new SnapshotCatalog(store).complete(clusterId)) {
            if (entry.verified() && entry.snapshotId().compareTo(snapshotId) < 0) {
                try {
                    Optional<SnapshotVerified> previous = read(store, clusterId, entry.snapshotId());
                    if (previous.isPresent()) {
                        return OptionalLong.of(previous.get().liveKeys());
                    }
                } catch (MalformedDocumentException unreadable) {
                    // that report cannot serve as the baseline; an older one may
                }
            }
        }
        return OptionalLong.empty();
    }
}
