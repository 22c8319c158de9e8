package dev.lifeboat.store;

import java.time.Instant;
import java.util.List;

/**
 * What one region's store holds of one snapshot. {@code manifest} null means not complete: either
 * no manifest was listed (an incomplete leftover of an interrupted write, which retention cleans
 * up) or one was listed but could not be read ({@link #manifestUnknown()}: a per-snapshot problem
 * that must block any deletion until it is understood).
 *
 * @param manifestProblem why a listed manifest could not be read; null otherwise
 */
public record CatalogEntry(
        String clusterId,
        String snapshotId,
        SnapshotManifest manifest,
        boolean verified,
        List<StoredObject> objects,
        ManifestState manifestState,
        String manifestProblem) {

    /** What the listing and the read of {@code manifest.json} found. */
    public enum ManifestState {
        /** listed and read */
        PRESENT,
        /** not listed: incomplete */
        ABSENT,
        /** listed, but not a readable manifest (empty, truncated, not JSON, incompatible) */
        UNREADABLE,
        /** listed, but the read answered "no such key" (an inconsistent listing, or deleted meanwhile) */
        VANISHED,
        /**
         * listed, but its read failed after the store's retries (a dropped connection, a timeout, a
         * server error) while the store as a whole still answers: unknown for now, the next read may work
         */
        UNAVAILABLE
    }

    public CatalogEntry {
        manifestState = manifestState != null ? manifestState
                : manifest != null ? ManifestState.PRESENT : ManifestState.ABSENT;
    }

    /** An entry whose manifest is either read or not listed at all. */
    public CatalogEntry(String clusterId, String snapshotId, SnapshotManifest manifest, boolean verified,
                        List<StoredObject> objects) {
        this(clusterId, snapshotId, manifest, verified, objects, null, null);
    }

    public boolean complete() {
        return manifest != null;
    }

    /** A manifest was listed but could not be read: neither complete nor a leftover. */
    public boolean manifestUnknown() {
        return manifestState == ManifestState.UNREADABLE || manifestState == ManifestState.VANISHED
                || manifestState == ManifestState.UNAVAILABLE;
    }

    /** No manifest listed: what is left of an interrupted write. */
    public boolean leftover() {
        return manifestState == ManifestState.ABSENT;
    }

    /** Newest modification time of any of its objects. */
    public Instant lastModified() {
        return objects.stream().map(StoredObject::lastModified).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    public long bytes() {
        return objects.stream().mapToLong(StoredObject::size).sum();
    }
}
