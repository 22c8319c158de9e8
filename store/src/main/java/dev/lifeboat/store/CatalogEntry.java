package dev.lifeboat.store;

import java.time.Instant;
import java.util.List;

/**
 * What one region's store holds of one snapshot. {@code manifest} null means incomplete: a
 * leftover of an interrupted write that no catalog shows and retention cleans up.
 */
public record CatalogEntry(
        String clusterId,
        String snapshotId,
        SnapshotManifest manifest,
        boolean verified,
        List<StoredObject> objects) {

    public boolean complete() {
        return manifest != null;
    }

    /** Newest modification time of any of its objects. */
    public Instant lastModified() {
        return objects.stream().map(StoredObject::lastModified).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    public long bytes() {
        return objects.stream().mapToLong(StoredObject::size).sum();
    }
}
