package dev.lifeboat.replicator.reconciliation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.lifeboat.common.retention.Decision;
import dev.lifeboat.common.retention.RetentionPlan;
import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.kit.retention.RetentionFacts;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoredObject;

/**
 * What a region lacks of what the primary holds and its own retention would keep: every verified,
 * complete snapshot in the source that is not intact in the region, newest first, except those the
 * region's retention plan prunes once they are there (copying those would only have retention
 * delete them again, run after run). Intact means complete, verified, the manifest naming the same
 * stored object and checksum as the source's, and that object of the manifest's size; the full
 * checksum read-back is the copier's job, too costly for every snapshot on every run.
 */
public final class ReplicationGap {
    private static final Comparator<String> NEWEST_FIRST = Comparator.reverseOrder();

    /**
     * @param toCopy         snapshot ids to copy, newest first, at most the limit
     * @param prunedByTarget snapshot ids the region lacks but not copied: its retention would prune them
     */
    public record Gap(List<String> toCopy, List<String> prunedByTarget) {}

    private ReplicationGap() {}

    /**
     * The gap of {@code region} towards {@code source}, judged by {@code targetPlan}: the region's
     * retention plan over the region's snapshots as they would be after every missing one was copied.
     */
    public static Gap between(List<CatalogEntry> source, List<CatalogEntry> region, int limit,
                              Function<List<SnapshotFacts>, RetentionPlan> targetPlan) {
        Map<String, CatalogEntry> present = region.stream()
                .collect(Collectors.toMap(CatalogEntry::snapshotId, e -> e, (a, b) -> a));
        List<CatalogEntry> missing = source.stream()
                .filter(e -> e.complete() && e.verified())
                .filter(e -> !intact(e, present.get(e.snapshotId())))
                .toList();
        if (missing.isEmpty()) {
            return new Gap(List.of(), List.of());
        }
        Set<String> pruned = targetPlan.apply(afterCopy(source, region, missing)).pruned().stream()
                .map(Decision::snapshotId).collect(Collectors.toSet());
        List<String> ids = missing.stream().map(CatalogEntry::snapshotId).sorted(NEWEST_FIRST).toList();
        return new Gap(ids.stream().filter(id -> !pruned.contains(id)).limit(Math.max(0, limit)).toList(),
                ids.stream().filter(pruned::contains).toList());
    }

    /**
     * The region's retention facts once {@code missing} is copied: each copy complete and verified
     * (its source is), the region's other snapshots as they are. Verified counts as the
     * retention-service counts it, a verification file in either store.
     */
    private static List<SnapshotFacts> afterCopy(List<CatalogEntry> source, List<CatalogEntry> region,
                                                 List<CatalogEntry> missing) {
        Set<String> copied = missing.stream().map(CatalogEntry::snapshotId).collect(Collectors.toSet());
        Set<String> verified = new HashSet<>();
        source.stream().filter(CatalogEntry::verified).forEach(e -> verified.add(e.snapshotId()));
        region.stream().filter(CatalogEntry::verified).forEach(e -> verified.add(e.snapshotId()));
        List<SnapshotFacts> facts = new ArrayList<>(RetentionFacts.of(
                region.stream().filter(e -> !copied.contains(e.snapshotId())).toList(), verified));
        missing.forEach(e -> facts.add(RetentionFacts.of(e, true)));
        return facts;
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
