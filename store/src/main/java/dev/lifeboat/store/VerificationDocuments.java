package dev.lifeboat.store;

import java.util.Optional;
import java.util.OptionalLong;

import dev.lifeboat.events.SnapshotVerified;

/**
 * {@code verification.json} beside each verified snapshot: the {@link SnapshotVerified} report
 * itself. Its presence means the snapshot is verified, so a region's store alone tells which
 * snapshots are good, and a redelivered event can be answered from it without a second drill.
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
