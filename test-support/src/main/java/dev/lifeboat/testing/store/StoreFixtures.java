package dev.lifeboat.testing.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;

/**
 * Writes snapshots into a store in Lifeboat's layout, the way the pipeline's stages do: the
 * snapshot object first, {@code verification.json} if verified, {@code manifest.json} last. Every
 * test that needs stored snapshots builds them here, so the layout is written in one place.
 */
public final class StoreFixtures {
    private StoreFixtures() {}

    /**
     * A manifest builder with plausible values for what a test does not care about: taken at the
     * snapshot id's time, revision 1, member {@code 8e9e05c52164694d} at {@code http://127.0.0.1:2379},
     * etcd 3.4.23, trigger {@code ON_DEMAND}, no KV hash. Set the raw/stored size and sha256 with
     * {@code storedAsIs(size, sha256)}.
     */
    public static SnapshotManifest.Builder manifest(String clusterId, String snapshotId) {
        return SnapshotManifest.builder(clusterId, snapshotId)
                .takenAt(SnapshotIds.timeOf(snapshotId))
                .revision(1)
                .memberId("8e9e05c52164694d")
                .memberEndpoint("http://127.0.0.1:2379")
                .etcdVersion("3.4.23")
                .trigger("ON_DEMAND")
                .producedBy("lifeboat-test-fixture")
                .durationMillis(1);
    }

    /** The snapshot object the manifest names, from memory. */
    public static void writeObject(ObjectStore store, SnapshotManifest manifest, byte[] bytes) {
        store.put(SnapshotLayout.objectKey(manifest), bytes, "application/octet-stream");
    }

    /** The snapshot object the manifest names, streamed from a file. */
    public static void writeObject(ObjectStore store, SnapshotManifest manifest, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(SnapshotLayout.objectKey(manifest), in, Files.size(file), "application/octet-stream");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code verification.json} beside the snapshot: any JSON document the test needs there. */
    public static void writeVerification(ObjectStore store, SnapshotManifest manifest, Object document) {
        store.putJson(SnapshotLayout.verificationKey(manifest.clusterId(), manifest.snapshotId()), document);
    }

    /** {@code manifest.json}, written last: from here on the snapshot is complete. */
    public static void writeManifest(ObjectStore store, SnapshotManifest manifest) {
        store.putJson(SnapshotLayout.manifestKey(manifest.clusterId(), manifest.snapshotId()), manifest);
    }

    /** A complete (unverified) snapshot: the file as the object, then the manifest. */
    public static SnapshotManifest writeComplete(ObjectStore store, SnapshotManifest manifest, Path file) {
        writeObject(store, manifest, file);
        writeManifest(store, manifest);
        return manifest;
    }
}
