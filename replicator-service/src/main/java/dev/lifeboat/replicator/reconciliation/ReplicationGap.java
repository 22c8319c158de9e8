package dev.lifeboat.replicator.reconciliation;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoredObject;

/**
 * What a region lacks of what the primary holds: every verified, complete snapshot in the source
 * that is not intact in the region, newest first. Intact means complete, verified, the manifest
 * naming the same stored object and checksum as the source's, and that object of the manifest's size; the
 * full checksum read-back is the copier's job, too costly for every snapshot on every run.
 */
public final class ReplicationGap {
    private ReplicationGap() {}

    /** Snapshot ids to copy, newest first, at most {@code limit}. */
    public static List<String> between(List<CatalogEntry> source, List<CatalogEntry> region, int limit) {
        Map<String, CatalogEntry> present = region.stream()
                .collect(Collectors.toMap(CatalogEntry::snapshotId, Function.identity(), (a, b) -> a));
        return source.stream()
                .filter(e -> e.complete() && e.verified())
                .filter(e -> !intact(e, present.get(e.snapshotId())))
                .sorted((a, b) -> b.snapshotId().compareTo(a.snapshotId()))
                .limit(Math.max(0, limit))
                .map(CatalogEntry::snapshotId)
                .toList();
    }

    /** True when {@code copy} looks like a complete replica of {@code original}. */
    public static boolean intact(CatalogEntry original, CatalogEntry copy) {
        if (copy == null || !copy.complete() || !copy.verified()) {
            return false;
        }
        if (!Objects.equals(original.manifest().storedSha256(), copy.manifest().storedSha256())
                || !Objects.equals(original.manifest().objectName(), copy.manifest().objectName())) {
            return false;
        }
        String objectKey = SnapshotLayout.objectKey(copy.manifest());
        long expected = copy.manifest().storedSizeBytes();
        return copy.objects().stream()
                .filter(o -> o.key().equals(objectKey))
                .mapToLong(StoredObject::size)
                .anyMatch(size -> size == expected);
    }
}
