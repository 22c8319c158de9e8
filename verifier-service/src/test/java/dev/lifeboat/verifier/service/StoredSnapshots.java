package dev.lifeboat.verifier.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;

/** Puts snapshots into the store the way snapshot-service does: snapshot.db first, manifest.json last. */
final class StoredSnapshots {
    private StoredSnapshots() {}

    /** Uploads {@code object} as the snapshot, with a manifest claiming {@code size} and {@code sha256}. */
    static SnapshotTaken upload(ObjectStore store, String clusterId, String snapshotId, Path object, long size,
                                String sha256) {
        try (InputStream in = Files.newInputStream(object)) {
            store.put(SnapshotLayout.snapshotKey(clusterId, snapshotId), in, Files.size(object),
                    "application/octet-stream");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT, clusterId, snapshotId, Instant.now(),
                1, "8e9e05c52164694d", "http://127.0.0.1:2379", "3.4.23", size, sha256, SnapshotLayout.SNAPSHOT,
                "ON_DEMAND", "verifier tests", 1);
        store.putJson(SnapshotLayout.manifestKey(clusterId, snapshotId), manifest);
        return event(store, clusterId, snapshotId, size, sha256);
    }

    static SnapshotTaken event(ObjectStore store, String clusterId, String snapshotId, long size, String sha256) {
        return new SnapshotTaken(clusterId, snapshotId, store.regionName(),
                SnapshotLayout.snapshotKey(clusterId, snapshotId), size, sha256, 1, "8e9e05c52164694d", "3.4.23",
                "ON_DEMAND", Instant.now(), 1);
    }
}
