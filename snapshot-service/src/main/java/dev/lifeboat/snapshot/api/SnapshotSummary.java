package dev.lifeboat.snapshot.api;

import java.time.Instant;

import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotManifest;

/** One line of the catalog. */
public record SnapshotSummary(String snapshotId, Instant takenAt, long sizeBytes, String sha256, long revision,
                              String memberId, String trigger, boolean verified) {
    static SnapshotSummary of(CatalogEntry e) {
        SnapshotManifest m = e.manifest();
        return new SnapshotSummary(e.snapshotId(), m.takenAt(), m.sizeBytes(), m.sha256(), m.revision(), m.memberId(),
                m.trigger(), e.verified());
    }
}
