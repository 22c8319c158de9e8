package dev.lifeboat.retention;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;

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
        s.store().put(SnapshotLayout.snapshotKey(s.clusterId(), s.snapshotId()), new ByteArrayInputStream(db),
                db.length, "application/octet-stream");
        if (s.verification()) {
            s.store().putJson(SnapshotLayout.verificationKey(s.clusterId(), s.snapshotId()),
                    Map.of("snapshotId", s.snapshotId(), "status", "VERIFIED"));
        }
        if (s.manifest()) {
            s.store().putJson(SnapshotLayout.manifestKey(s.clusterId(), s.snapshotId()),
                    new SnapshotManifest(SnapshotManifest.FORMAT, s.clusterId(), s.snapshotId(), s.takenAt(), 1,
                            "1", "http://127.0.0.1:2379", "3.4.23", db.length, "0".repeat(64),
                            SnapshotLayout.SNAPSHOT, "test", "retention tests", 1));
        }
    }
}
