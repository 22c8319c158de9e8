package dev.lifeboat.retention.pruning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.common.retention.Decision;
import dev.lifeboat.common.retention.RetentionPlan;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * Carries out one region's plan: deletes the pruned snapshots (manifest first) and announces
 * each, removes incomplete leftovers, aborts uploads a crash left unfinished. Stops at the first
 * store failure (reported), and before the next delete once this replica no longer owns the cluster.
 */
final class Pruner {
    private static final Logger LOG = Logger.getLogger(Pruner.class);

    private final Regions regions;
    private final RetentionFailures failures;
    private final RetentionMetrics metrics;
    private final Clock clock;
    private final Duration grace;
    private final Predicate<String> owns;

    Pruner(Regions regions, RetentionFailures failures, RetentionMetrics metrics, Clock clock, Duration grace,
           Predicate<String> owns) {
        this.regions = regions;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
        this.grace = grace;
        this.owns = owns;
    }

    void enforce(String clusterId, String region, RetentionPlan plan, List<CatalogEntry> entries) {
        ObjectStore store = regions.get(region);
        Map<String, CatalogEntry> byId = entries.stream()
                .collect(Collectors.toMap(CatalogEntry::snapshotId, Function.identity()));
        for (Decision d : plan.pruned()) {
            if (!owns.test(clusterId)) {
                LOG.infof("retention of %s stopped in region %s: another replica owns it now", clusterId, region);
                return;
            }
            try {
                // manifest first: the snapshot leaves every catalog at once; a crash after this
                // leaves an incomplete leftover that a later run removes
                store.delete(SnapshotLayout.manifestKey(clusterId, d.snapshotId()));
                store.deleteAll(objectKeys(clusterId, byId.get(d.snapshotId()), true));
            } catch (StoreException e) {
                failures.fail(clusterId, d.snapshotId(), FailureReason.STORE_UNAVAILABLE,
                        "pruning stopped in region " + region + ": " + e.getMessage(), region);
                return;
            }
            metrics.pruned(clusterId, region, d.bytes());
            LOG.infof("pruned %s/%s in region %s: %s", clusterId, d.snapshotId(), region, d.reason());
            failures.publish(new SnapshotPruned(clusterId, d.snapshotId(), region, d.reason(), d.takenAt(), d.bytes(),
                    clock.instant()));
        }
        for (Decision d : plan.leftovers()) {
            CatalogEntry leftover = byId.get(d.snapshotId());
            if (leftover == null || !leftover.leftover()) {
                // a listed manifest makes it no leftover, whatever the plan says
                LOG.warnf("not removing %s/%s in region %s: its listing holds a manifest", clusterId, d.snapshotId(),
                        region);
                continue;
            }
            try {
                store.deleteAll(objectKeys(clusterId, leftover, false));
            } catch (StoreException e) {
                failures.fail(clusterId, d.snapshotId(), FailureReason.STORE_UNAVAILABLE,
                        "removing an incomplete leftover failed in region " + region + ": " + e.getMessage(), region);
                return;
            }
            metrics.leftoverRemoved(clusterId, region, d.bytes());
            LOG.infof("removed incomplete leftover %s/%s in region %s", clusterId, d.snapshotId(), region);
        }
    }

    /**
     * Aborts uploads under the cluster's prefix started before the grace period and never
     * finished: what a crash mid-upload leaves, invisible to listings but stored (and billed).
     * A failure is logged and tried again by the next run.
     */
    void abortStaleUploads(String clusterId, String region, Instant now) {
        try {
            int aborted = regions.get(region).abortUploadsStartedBefore(SnapshotLayout.clusterPrefix(clusterId),
                    now.minus(grace));
            if (aborted > 0) {
                LOG.infof("aborted %d unfinished upload(s) of cluster %s in region %s, started before the grace period",
                        aborted, clusterId, region);
            }
        } catch (StoreException e) {
            LOG.warnf("unfinished uploads of cluster %s in region %s not checked: %s", clusterId, region,
                    e.getMessage());
        }
    }

    /** The snapshot's listed objects, all inside its own prefix of the layout. */
    private static List<String> objectKeys(String clusterId, CatalogEntry entry, boolean withoutManifest) {
        String prefix = SnapshotLayout.snapshotPrefix(clusterId, entry.snapshotId());
        String manifest = SnapshotLayout.manifestKey(clusterId, entry.snapshotId());
        return entry.objects().stream().map(StoredObject::key)
                .filter(k -> k.startsWith(prefix))
                .filter(k -> !(withoutManifest && k.equals(manifest)))
                .toList();
    }
}
