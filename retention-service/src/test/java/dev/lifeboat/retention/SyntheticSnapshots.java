package dev.lifeboat.retention;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.store.StoreFixtures;

/** Writes tiny snapshots in the store layout, in parallel, as the pipeline's stages would. */
public final class SyntheticSnapshots {
    private SyntheticSnapshots() {}

    /** One snapshot in one region: which of its three objects exist. */
    public record Written(ObjectStore store, String clusterId, String snapshotId, Instant takenAt, boolean manifest,
                          boolean verification) {}

    public static void write(List<Written> snapshots) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Written s : snapshots) {
                futures.add(pool.submit(() -> {
                    write(s);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    public static void write(Written s) {
        byte[] db = ("db " + s.snapshotId()).getBytes(StandardCharsets.UTF_8);
        SnapshotManifest manifest = StoreFixtures.manifest(s.clusterId(), s.snapshotId())
                .takenAt(s.takenAt()).producedBy("retention tests")
                .storedAsIs(db.length, "0".repeat(64))
                .build();
        StoreFixtures.writeObject(s.store(), manifest, db);
        if (s.verification()) {
            StoreFixtures.writeVerification(s.store(), manifest, Map.of("snapshotId", s.snapshotId(), "status", "VERIFIED"));
        }
        if (s.manifest()) {
            StoreFixtures.writeManifest(s.store(), manifest);
        }
    }
}
