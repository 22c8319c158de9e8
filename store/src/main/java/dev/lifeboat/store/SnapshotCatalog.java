package dev.lifeboat.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads what a region holds from the store alone: the manifests say what is complete, the
 * verification files say what is verified. No other database.
 */
public class SnapshotCatalog {
    /** Snapshots by the manifest's time (without a readable manifest: the id's), then id, newest first. */
    private static final Comparator<CatalogEntry> NEWEST_FIRST = Comparator
            .comparing((CatalogEntry e) -> e.manifest() != null ? e.manifest().takenAt() : SnapshotIds.timeOf(e.snapshotId()),
                    Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(CatalogEntry::snapshotId).reversed();

    private final ObjectStore store;

    public SnapshotCatalog(ObjectStore store) {
        this.store = store;
    }

    /** Every snapshot of the cluster, complete or not, newest first. */
    public List<CatalogEntry> entries(String clusterId) {
        List<CatalogEntry> out = new ArrayList<>();
        for (var e : listed(clusterId).entrySet()) {
            out.add(entry(clusterId, e.getKey(), e.getValue()));
        }
        out.sort(Comparator.comparing(CatalogEntry::snapshotId).reversed());
        return out;
    }

    /** One page of the catalog, newest first, and where the next page starts (null: none). */
    public record Page(List<CatalogEntry> entries, String nextBefore) {}

    /**
     * About {@code limit} snapshots with a listed manifest older than {@code before} (a snapshot id;
     * null = the newest), newest first: the complete ones and those whose listed manifest cannot be
     * read ({@link CatalogEntry#manifestUnknown()}, with their state and problem), never hidden.
     * One listing, and only the manifests of this page are read, so a page's cost does not grow
     * with the history. Ids have second precision, so a second is never split across pages (a page
     * may exceed {@code limit} by the snapshots of its last second) and within a page the order is
     * that of {@link #complete} (a snapshot without a readable manifest by its id's time).
     */
    public Page page(String clusterId, String before, int limit) {
        Map<String, List<StoredObject>> listed = listed(clusterId);
        List<String> ids = listed.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.MANIFEST)))
                .map(Map.Entry::getKey)
                .filter(id -> before == null || id.compareTo(before) < 0)
                .sorted(Comparator.reverseOrder())
                .toList();
        List<CatalogEntry> page = new ArrayList<>();
        int i = 0;
        while (i < ids.size() && (page.size() < limit
                || (!page.isEmpty() && second(ids.get(i)).equals(second(page.get(page.size() - 1).snapshotId()))))) {
            page.add(entry(clusterId, ids.get(i), listed.get(ids.get(i))));
            i++;
        }
        page.sort(NEWEST_FIRST);
        String next = i < ids.size() && !page.isEmpty() ? second(ids.get(i - 1)) + "-00000000" : null;
        return new Page(List.copyOf(page), next);
    }

    /** The second a snapshot id names (its part before the random suffix). */
    private static String second(String snapshotId) {
        int dash = snapshotId.indexOf('-');
        return dash < 0 ? snapshotId : snapshotId.substring(0, dash);
    }

    /** The cluster's keys grouped by snapshot id, from one listing. */
    private Map<String, List<StoredObject>> listed(String clusterId) {
        String prefix = SnapshotLayout.clusterPrefix(clusterId);
        Map<String, List<StoredObject>> bySnapshot = new LinkedHashMap<>();
        for (StoredObject o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || !SnapshotIds.isValidSnapshotId(rest.substring(0, slash))) {
                continue; // not part of the layout: never ours to interpret
            }
            bySnapshot.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(o);
        }
        return bySnapshot;
    }

    private CatalogEntry entry(String clusterId, String snapshotId, List<StoredObject> objects) {
        boolean hasManifest = objects.stream().anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.MANIFEST));
        boolean verified = objects.stream().anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.VERIFICATION));
        return hasManifest ? withManifest(clusterId, snapshotId, verified, List.copyOf(objects))
                : new CatalogEntry(clusterId, snapshotId, null, verified, List.copyOf(objects));
    }

    /**
     * Reads a listed manifest. One that cannot be read is that snapshot's problem, reported on its
     * entry, never the whole catalog's: the other snapshots of the cluster stay visible. That holds
     * for a read that fails on the network too (after the store's own retries), as long as the
     * store still answers; when it does not, the whole region is out and the failure is thrown.
     */
    private CatalogEntry withManifest(String clusterId, String snapshotId, boolean verified, List<StoredObject> objects) {
        String key = SnapshotLayout.manifestKey(clusterId, snapshotId);
        try {
            SnapshotManifest manifest = store.getJson(key, SnapshotManifest.class);
            if (!clusterId.equals(manifest.clusterId()) || !snapshotId.equals(manifest.snapshotId())) {
                return new CatalogEntry(clusterId, snapshotId, null, verified, objects,
                        CatalogEntry.ManifestState.UNREADABLE, key + " describes " + manifest.clusterId() + "/"
                        + manifest.snapshotId() + ", not the snapshot it is stored under");
            }
            SnapshotLayout.requireObjectName(manifest.objectName());
            return new CatalogEntry(clusterId, snapshotId, manifest, verified, objects);
        } catch (IllegalArgumentException badName) {
            return new CatalogEntry(clusterId, snapshotId, null, verified, objects,
                    CatalogEntry.ManifestState.UNREADABLE, key + ": " + badName.getMessage());
        } catch (MalformedDocumentException bad) {
            return new CatalogEntry(clusterId, snapshotId, null, verified, objects,
                    CatalogEntry.ManifestState.UNREADABLE, bad.getMessage());
        } catch (ObjectMissingException gone) {
            return new CatalogEntry(clusterId, snapshotId, null, verified, objects,
                    CatalogEntry.ManifestState.VANISHED, key + " was listed in region " + store.regionName()
                    + " but reads as missing");
        } catch (StoreException failed) {
            if (!store.isReachable()) {
                throw failed; // a store outage, not this snapshot's problem
            }
            return new CatalogEntry(clusterId, snapshotId, null, verified, objects,
                    CatalogEntry.ManifestState.UNAVAILABLE, key + " was listed in region " + store.regionName()
                    + " but could not be read: " + failed.getMessage());
        }
    }

    /**
     * Snapshots whose listed manifest could not be read (bad, vanished or its read failed):
     * reported, never deleted, never shown as complete.
     */
    public List<CatalogEntry> unknown(String clusterId) {
        return entries(clusterId).stream().filter(CatalogEntry::manifestUnknown).toList();
    }

    /** Complete snapshots (manifest present), newest first: what every catalog view shows. */
    public List<CatalogEntry> complete(String clusterId) {
        // ids have second precision; within one second the manifest's time decides
        return entries(clusterId).stream().filter(CatalogEntry::complete).sorted(NEWEST_FIRST).toList();
    }

    /**
     * The newest complete snapshot whose verification is stored beside it: what a disaster
     * recovery restores, found from this region's store alone.
     */
    public Optional<CatalogEntry> newestVerified(String clusterId) {
        return complete(clusterId).stream().filter(CatalogEntry::verified).findFirst();
    }

    /** Cluster ids that have anything in this region. */
    public List<String> clusters() {
        TreeSet<String> ids = new TreeSet<>();
        for (StoredObject o : store.list(SnapshotLayout.ROOT)) {
            String rest = o.key().substring(SnapshotLayout.ROOT.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && SnapshotIds.isValidClusterId(rest.substring(0, slash))) {
                ids.add(rest.substring(0, slash));
            }
        }
        return List.copyOf(ids);
    }
}
