package dev.lifeboat.snapshot.api;

import java.time.Instant;

import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotManifest;

/**
 * One line of the catalog. {@code state} is PRESENT for a complete snapshot; a snapshot whose
 * listed manifest cannot be read is shown too, with its state (UNREADABLE, VANISHED, UNAVAILABLE),
 * the {@code problem} (null for PRESENT), and only what its id tells (the manifest's fields are null).
 */
public record SnapshotSummary(String snapshotId, Instant takenAt, Long sizeBytes, String sha256, Long revision,
                              String memberId, String trigger, boolean verified, CatalogEntry.ManifestState state,
                              String problem) {
    static SnapshotSummary of(CatalogEntry e) {
        SnapshotManifest m = e.manifest();
        if (m == null) {
            return new SnapshotSummary(e.snapshotId(), null, null, null, null, null, null, e.verified(),
                    e.manifestState(), e.manifestProblem());
        }
        return new SnapshotSummary(e.snapshotId(), m.takenAt(), m.sizeBytes(), m.sha256(), m.revision(), m.memberId(),
                m.trigger(), e.verified(), e.manifestState(), null);
    }
}
