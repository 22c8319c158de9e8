package dev.lifeboat.retention.freshness;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * Where a cluster's newest verified snapshot is in each region, from listings alone (no document
 * is read): a snapshot is complete in a region when its {@code manifest.json} is listed there, and
 * verified when a {@code verification.json} of it is listed in any of the regions read (copies are
 * checked against the manifest's checksum, so verifying one verifies all).
 *
 * <p>Cost per cluster, whatever its history: one listing per region of the snapshots taken since
 * {@code windowStart} (snapshot ids sort by time, so the listing starts there), and one full
 * listing of a region only when that window holds no verified complete snapshot there (a stale
 * region, or a cluster before its first backup). At most two listings per cluster and region.
 */
public final class NewestVerifiedSnapshots {

    /**
     * What one region holds of the cluster.
     *
     * @param newestVerified time (from its id) of the newest complete snapshot verified anywhere
     * @param holdsComplete  any complete snapshot at all is listed
     * @param unreadable     the store's failure when the region could not be listed; null otherwise
     */
    public record RegionView(Optional<Instant> newestVerified, boolean holdsComplete, StoreException unreadable) {
        public boolean readable() {
            return unreadable == null;
        }
    }

    /** What the listings say of one snapshot id in one region. */
    private static final class Listed {
        boolean manifest;
        boolean verification;
    }

    private NewestVerifiedSnapshots() {}

    /** @param stores the regions to read, by name, in the order the result keeps */
    public static Map<String, RegionView> read(Map<String, ObjectStore> stores, String clusterId, Instant windowStart) {
        String prefix = SnapshotLayout.clusterPrefix(clusterId);
        String startAfter = prefix + SnapshotIds.timePrefix(windowStart);
        Map<String, Map<String, Listed>> listed = new LinkedHashMap<>();
        Map<String, StoreException> unreadable = new HashMap<>();
        stores.forEach((region, store) -> list(store, prefix, startAfter, region, listed, unreadable));
        Set<String> verified = verified(listed);
        for (var e : stores.entrySet()) {
            String region = e.getKey();
            if (listed.containsKey(region) && newest(listed.get(region), verified).isEmpty()) {
                listed.remove(region);
                list(e.getValue(), prefix, null, region, listed, unreadable);
            }
        }
        verified = verified(listed);
        Map<String, RegionView> out = new LinkedHashMap<>();
        for (String region : stores.keySet()) {
            Map<String, Listed> ids = listed.get(region);
            out.put(region, ids == null ? new RegionView(Optional.empty(), false, unreadable.get(region))
                    : new RegionView(newest(ids, verified).map(SnapshotIds::timeOf),
                    ids.values().stream().anyMatch(l -> l.manifest), null));
        }
        return out;
    }

    private static void list(ObjectStore store, String prefix, String startAfter, String region,
                             Map<String, Map<String, Listed>> listed, Map<String, StoreException> unreadable) {
        try {
            List<StoredObject> objects = startAfter == null ? store.list(prefix) : store.list(prefix, startAfter);
            Map<String, Listed> ids = new HashMap<>();
            for (StoredObject o : objects) {
                String rest = o.key().substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash <= 0 || !SnapshotIds.isValidSnapshotId(rest.substring(0, slash))) {
                    continue; // not part of the layout
                }
                String name = rest.substring(slash + 1);
                Listed l = ids.computeIfAbsent(rest.substring(0, slash), id -> new Listed());
                l.manifest |= SnapshotLayout.MANIFEST.equals(name);
                l.verification |= SnapshotLayout.VERIFICATION.equals(name);
            }
            listed.put(region, ids);
        } catch (StoreException e) {
            unreadable.put(region, e);
        }
    }

    private static Set<String> verified(Map<String, Map<String, Listed>> listed) {
        Set<String> ids = new HashSet<>();
        listed.values().forEach(m -> m.forEach((id, l) -> {
            if (l.verification) {
                ids.add(id);
            }
        }));
        return ids;
    }

    private static Optional<String> newest(Map<String, Listed> ids, Set<String> verified) {
        return ids.entrySet().stream().filter(e -> e.getValue().manifest && verified.contains(e.getKey()))
                .map(Map.Entry::getKey).max(String::compareTo);
    }
}
