package dev.lifeboat.retention.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.Stage;
import dev.lifeboat.retention.config.Policies;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.retention.policy.Decision;
import dev.lifeboat.retention.policy.PolicyChoice;
import dev.lifeboat.retention.policy.RetentionPlan;
import dev.lifeboat.retention.policy.RetentionPlanner;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * Plans and enforces retention for one cluster in every region. Runs of the same cluster never
 * overlap; a run is idempotent because it starts from what the stores hold.
 */
@ApplicationScoped
public class RetentionRunner {
    private static final Logger LOG = Logger.getLogger(RetentionRunner.class);

    private final Regions regions;
    private final ClusterRegistry registry;
    private final Policies policies;
    private final RetentionConfig config;
    private final EventPublisher publisher;
    private final RetentionMetrics metrics;
    private final Clock clock;
    private final Map<String, Object> clusterLocks = new ConcurrentHashMap<>();

    public RetentionRunner(Regions regions, ClusterRegistry registry, Policies policies, RetentionConfig config,
                           EventPublisher publisher, RetentionMetrics metrics, Clock clock) {
        this.regions = regions;
        this.registry = registry;
        this.policies = policies;
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What a run would do now in {@code region}; empty for a cluster that is not registered and
     * has nothing in any reachable region. Throws {@link StoreException} if {@code region} is unreachable.
     */
    public Optional<RegionPlan> plan(String clusterId, String region) {
        RegionSnapshots snapshots = RegionSnapshots.of(readAll(clusterId, new LinkedHashMap<>()));
        if (!snapshots.byRegion().containsKey(region)) {
            read(region, clusterId); // rethrows the store's failure
        }
        if (snapshots.isEmpty() && registry.get(clusterId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(plan(clusterId, region, snapshots, clock.instant()));
    }

    /** Runs retention for a registered cluster with the configured dry-run setting. */
    public List<RegionPlan> run(String clusterId) {
        return run(clusterId, config.dryRun());
    }

    /**
     * Runs retention for the cluster in every region: plans, and unless {@code dryRun} deletes.
     * Returns the plans of the regions that could be read.
     */
    public List<RegionPlan> run(String clusterId, boolean dryRun) {
        synchronized (clusterLocks.computeIfAbsent(clusterId, id -> new Object())) {
            Instant now = clock.instant();
            Map<String, StoreException> unreachable = new LinkedHashMap<>();
            RegionSnapshots snapshots = RegionSnapshots.of(readAll(clusterId, unreachable));
            unreachable.forEach((region, e) -> fail(clusterId, null, FailureReason.STORE_UNAVAILABLE,
                    "retention skipped region " + region + ": " + e.getMessage(), region));
            List<RegionPlan> plans = new ArrayList<>();
            for (String region : snapshots.byRegion().keySet()) {
                for (CatalogEntry unknown : snapshots.unknown(region)) {
                    fail(clusterId, unknown.snapshotId(), FailureReason.MANIFEST_UNREADABLE, "kept, not deleted: "
                            + unknown.manifestProblem(), region);
                }
                RegionPlan plan = plan(clusterId, region, snapshots, now);
                plans.add(plan);
                metrics.kept(clusterId, region, plan.plan().kept().size());
                if (plan.plan().wouldDeleteAll()) {
                    fail(clusterId, null, FailureReason.POLICY_WOULD_DELETE_ALL, "the retention policy ("
                            + plan.policy().source() + ": " + plan.policy().policy().describe()
                            + ") keeps none of " + plan.plan().kept().size()
                            + " snapshots, none has been deleted", region);
                }
                if (!dryRun) {
                    enforce(clusterId, region, plan.plan(), snapshots.entries(region));
                    abortStaleUploads(clusterId, region, now);
                } else if (!plan.plan().pruned().isEmpty() || !plan.plan().leftovers().isEmpty()) {
                    LOG.infof("dry run: cluster %s region %s would prune %d snapshot(s) and remove %d leftover(s)",
                            clusterId, region, plan.plan().pruned().size(), plan.plan().leftovers().size());
                }
            }
            return plans;
        }
    }

    /** Runs every registered cluster; a failing cluster does not stop the others. */
    public void runAll() {
        if (!registry.isReady()) {
            return;
        }
        for (String clusterId : registry.all().keySet()) {
            try {
                run(clusterId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "retention run of cluster %s failed", clusterId);
                fail(clusterId, null, FailureReason.INTERNAL, "retention run failed: " + e, null);
            }
        }
    }

    private RegionPlan plan(String clusterId, String region, RegionSnapshots snapshots, Instant now) {
        PolicyChoice choice = policies.choose(registry.get(clusterId).map(ClusterSpec::retention), region);
        Duration floor = PolicyChoice.CLUSTER.equals(choice.source()) ? config.clusterPolicyFloor() : Duration.ZERO;
        RetentionPlan plan = RetentionPlanner.plan(snapshots.facts(region), choice.policy(), now, config.grace(), floor);
        return new RegionPlan(clusterId, region, choice, now, config.grace(), plan);
    }

    private Map<String, List<CatalogEntry>> readAll(String clusterId, Map<String, StoreException> unreachable) {
        Map<String, List<CatalogEntry>> byRegion = new LinkedHashMap<>();
        for (String region : regions.names()) {
            try {
                byRegion.put(region, read(region, clusterId));
            } catch (StoreException e) {
                unreachable.put(region, e);
            }
        }
        return byRegion;
    }

    private List<CatalogEntry> read(String region, String clusterId) {
        return new SnapshotCatalog(regions.get(region)).entries(clusterId);
    }

    private void enforce(String clusterId, String region, RetentionPlan plan, List<CatalogEntry> entries) {
        ObjectStore store = regions.get(region);
        Map<String, CatalogEntry> byId = entries.stream()
                .collect(Collectors.toMap(CatalogEntry::snapshotId, Function.identity()));
        for (Decision d : plan.pruned()) {
            try {
                // manifest first: the snapshot leaves every catalog at once; a crash after this
                // leaves an incomplete leftover that a later run removes
                store.delete(SnapshotLayout.manifestKey(clusterId, d.snapshotId()));
                store.deleteAll(objectKeys(clusterId, byId.get(d.snapshotId()), true));
            } catch (StoreException e) {
                fail(clusterId, d.snapshotId(), FailureReason.STORE_UNAVAILABLE,
                        "pruning stopped in region " + region + ": " + e.getMessage(), region);
                return;
            }
            metrics.pruned(clusterId, region, d.bytes());
            LOG.infof("pruned %s/%s in region %s: %s", clusterId, d.snapshotId(), region, d.reason());
            publish(new SnapshotPruned(clusterId, d.snapshotId(), region, d.reason(), d.takenAt(), d.bytes(),
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
                fail(clusterId, d.snapshotId(), FailureReason.STORE_UNAVAILABLE,
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
    private void abortStaleUploads(String clusterId, String region, Instant now) {
        try {
            int aborted = regions.get(region).abortUploadsStartedBefore(SnapshotLayout.clusterPrefix(clusterId),
                    now.minus(config.grace()));
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

    private void fail(String clusterId, String snapshotId, FailureReason reason, String message, String region) {
        LOG.warnf("cluster %s: %s %s", clusterId, reason, message);
        publish(BackupFailed.of(clusterId, snapshotId, Stage.PRUNE, reason, message, region, 1));
    }

    private void publish(LifeboatEvent event) {
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            LOG.errorf("could not publish %s for cluster %s: %s", event.type(), event.clusterId(), e.getMessage());
        }
    }
}
