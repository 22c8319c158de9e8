package dev.lifeboat.verifier.verification;

import java.nio.file.Path;
import java.time.Instant;

import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.store.StoreFixtures;

/** Puts snapshots into the store the way snapshot-service does: snapshot.db first, manifest.json last. */
public final class StoredSnapshots {
    private StoredSnapshots() {}

    /** Uploads {@code object} as the snapshot, with a manifest claiming {@code size} and {@code sha256}. */
    public static SnapshotTaken upload(ObjectStore store, String clusterId, String snapshotId, Path object, long size,
                                String sha256) {
        SnapshotManifest manifest = StoreFixtures.manifest(clusterId, snapshotId)
                .takenAt(Instant.now()).producedBy("verifier tests")
                .storedAsIs(size, sha256)
                .build();
        StoreFixtures.writeComplete(store, manifest, object);
        return event(store, clusterId, snapshotId, size, sha256);
    }

    public static SnapshotTaken event(ObjectStore store, String clusterId, String snapshotId, long size, String sha256) {
        return new SnapshotTaken(clusterId, snapshotId, store.regionName(),
                SnapshotLayout.objectKey(clusterId, snapshotId, SnapshotEncoding.IDENTITY), size, sha256, 1, "8e9e05c52164694d", "3.4.23",
                "ON_DEMAND", Instant.now(), 1);
    }
}
