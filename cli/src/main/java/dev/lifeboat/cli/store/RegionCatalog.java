package dev.lifeboat.cli.store;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.VerificationDocuments;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What one region's store says about a cluster's snapshots, with each failure named for the command line. */
public final class RegionCatalog {
    private final ObjectStore store;
    private final SnapshotCatalog catalog;

    public RegionCatalog(ObjectStore store) {
        this.store = store;
        this.catalog = new SnapshotCatalog(store);
    }

    public ObjectStore store() {
        return store;
    }

    public String region() {
        return store.regionName();
    }

    public List<String> clusters() {
        return call(catalog::clusters);
    }

    /** Complete snapshots, newest first; a cluster with nothing at all in the region does not exist here. */
    public List<CatalogEntry> complete(String clusterId) {
        requireClusterId(clusterId);
        List<CatalogEntry> all = call(() -> catalog.entries(clusterId));
        if (all.isEmpty()) {
            throw Failure.NO_SUCH_CLUSTER.because("cluster " + clusterId + " has no snapshots in region " + region());
        }
        return call(() -> catalog.complete(clusterId));
    }

    /** The given snapshot (it must be complete), or the newest verified one. */
    public CatalogEntry choose(String clusterId, String snapshotId) {
        List<CatalogEntry> complete = complete(clusterId);
        if (snapshotId == null) {
            return complete.stream().filter(CatalogEntry::verified).findFirst().orElseThrow(() ->
                    Failure.NO_SUCH_SNAPSHOT.because("cluster " + clusterId + " has no verified snapshot in region "
                            + region() + " (" + complete.size() + " unverified); name one with --snapshot"));
        }
        if (!SnapshotIds.isValidSnapshotId(snapshotId)) {
            throw Failure.NO_SUCH_SNAPSHOT.because("'" + snapshotId + "' is not a snapshot id (yyyyMMddTHHmmssZ-xxxxxxxx)");
        }
        Optional<CatalogEntry> found = complete.stream().filter(e -> e.snapshotId().equals(snapshotId)).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        Optional<CatalogEntry> listed = call(() -> catalog.entries(clusterId)).stream()
                .filter(e -> e.snapshotId().equals(snapshotId)).findFirst();
        if (listed.isPresent() && listed.get().manifestUnknown()) {
            throw Failure.NO_SUCH_SNAPSHOT.because("snapshot " + snapshotId + " of cluster " + clusterId
                    + " cannot be trusted: " + listed.get().manifestProblem());
        }
        throw Failure.NO_SUCH_SNAPSHOT.because(listed.isPresent()
                ? "snapshot " + snapshotId + " of cluster " + clusterId + " has no manifest.json in region " + region()
                        + ": it is incomplete and cannot be trusted"
                : "cluster " + clusterId + " has no snapshot " + snapshotId + " in region " + region());
    }

    /** The verifier's report stored beside the snapshot, if it was verified. */
    public Optional<SnapshotVerified> verification(String clusterId, String snapshotId) {
        return call(() -> VerificationDocuments.read(store, clusterId, snapshotId));
    }

    /** Runs a store call, turning an outage into its failure line. */
    public <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw Failure.STORE_UNREACHABLE.because(e.getMessage());
        } catch (MalformedDocumentException e) {
            throw Failure.NO_SUCH_SNAPSHOT.because(e.getMessage());
        }
    }

    private static void requireClusterId(String clusterId) {
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            throw Failure.NO_SUCH_CLUSTER.because("'" + clusterId + "' is not a cluster id (a DNS-1123 label)");
        }
    }
}
