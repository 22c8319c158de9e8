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
    private final ObjectStore store;

    public SnapshotCatalog(ObjectStore store) {
        this.store = store;
    }

    /** Every snapshot of the cluster, complete or not, newest first. */
    public List<CatalogEntry> entries(String clusterId) {
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
        List<CatalogEntry> out = new ArrayList<>();
        for (var e : bySnapshot.entrySet()) {
            String snapshotId = e.getKey();
            boolean hasManifest = e.getValue().stream()
                    .anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.MANIFEST));
            boolean verified = e.getValue().stream()
                    .anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.VERIFICATION));
            out.add(hasManifest ? withManifest(clusterId, snapshotId, verified, List.copyOf(e.getValue()))
                    : new CatalogEntry(clusterId, snapshotId, null, verified, List.copyOf(e.getValue())));
        }
        out.sort(Comparator.comparing(CatalogEntry::snapshotId).reversed());
        return out;
    }

    /**
     * Reads a listed manifest. One that cannot be read is that snapshot's problem, reported on its
     * entry, never the whole catalog's: the other snapshots of the cluster stay visible.
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
        }
    }

    /** Snapshots whose listed manifest could not be read: reported, never deleted, never shown as complete. */
    public List<CatalogEntry> unknown(String clusterId) {
        return entries(clusterId).stream().filter(CatalogEntry::manifestUnknown).toList();
    }

    /** Complete snapshots (manifest present), newest first: what every catalog view shows. */
    public List<CatalogEntry> complete(String clusterId) {
        // ids have second precision; within one second the manifest's time decides
        return entries(clusterId).stream().filter(CatalogEntry::complete)
                .sorted(Comparator.comparing((CatalogEntry e) -> e.manifest().takenAt(),
                                Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(CatalogEntry::snapshotId).reversed())
                .toList();
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
