package dev.lifeboat.retention.pruning;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.kit.retention.RetentionFacts;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.StoreException;

/**
 * One cluster's catalog in every reachable region, read from the stores alone. A snapshot counts
 * as verified in a region when a verification file for it exists in any region: the copies are
 * checked against the manifest's checksum, so verifying one verifies all.
 */
public record RegionSnapshots(Map<String, List<CatalogEntry>> byRegion) {

    public static RegionSnapshots of(Map<String, List<CatalogEntry>> byRegion) {
        return new RegionSnapshots(new LinkedHashMap<>(byRegion));
    }

    /** The cluster's catalog in every region that can be read; the others' failures go to {@code unreachable}. */
    public static RegionSnapshots read(Regions regions, String clusterId, Map<String, StoreException> unreachable) {
        Map<String, List<CatalogEntry>> byRegion = new LinkedHashMap<>();
        for (String region : regions.names()) {
            try {
                byRegion.put(region, new SnapshotCatalog(regions.get(region)).entries(clusterId));
            } catch (StoreException e) {
                unreachable.put(region, e);
            }
        }
        return of(byRegion);
    }

    public Set<String> verifiedIds() {
        Set<String> ids = new HashSet<>();
        byRegion.values().stream().flatMap(Collection::stream)
                .filter(CatalogEntry::verified).forEach(e -> ids.add(e.snapshotId()));
        return ids;
    }

    public List<CatalogEntry> entries(String region) {
        return byRegion.getOrDefault(region, List.of());
    }

    /** Snapshots in {@code region} whose manifest is listed but cannot be read: kept and reported. */
    public List<CatalogEntry> unknown(String region) {
        return entries(region).stream().filter(CatalogEntry::manifestUnknown).toList();
    }

    public boolean isEmpty() {
        return byRegion.values().stream().allMatch(List::isEmpty);
    }

    /**
     * The retention view of {@code region}'s entries. A snapshot whose listed manifest cannot be
     * read is left out: it is neither complete nor a leftover, so no plan can delete it (see
     * {@link #unknown(String)}).
     */
    public List<SnapshotFacts> facts(String region) {
        return RetentionFacts.of(entries(region), verifiedIds());
    }
}
