package dev.lifeboat.retention.pruning;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.Stage;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.kit.ownership.OwnershipChange;
import dev.lifeboat.kit.retention.RetentionPolicies;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.common.retention.Decision;
import dev.lifeboat.common.retention.PolicyChoice;
import dev.lifeboat.common.retention.RetentionPlan;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * Plans and enforces retention for one cluster in every region. Runs of the same cluster never
 * overlap; a run is idempotent because it starts from what the stores hold. With several replicas
 * a cluster's runs happen on its owner only ({@link ClusterOwnership}), so each pruned snapshot is
 * deleted and announced once.
 */
@ApplicationScoped
public class RetentionRunner {
    private static final Logger LOG = Logger.getLogger(RetentionRunner.class);

    private final Regions regions;
    private final ClusterRegistry registry;
    private final RetentionPolicies policies;
    private final RetentionConfig config;
    private final RetentionMetrics metrics;
    private final Clock clock;
    private final RetentionFailures failures;
    private final Pruner pruner;
    private final Map<String, Object> clusterLocks = new ConcurrentHashMap<>();
    private final Predicate<String> owns;

    @Inject
    public RetentionRunner(Regions regions, ClusterRegistry registry, RetentionPolicies policies, RetentionConfig config,
                           EventPublisher publisher, RetentionMetrics metrics, Clock clock, ClusterOwnership ownership) {
        this(regions, registry, policies, config, publisher, metrics, clock, ownership::owns);
    }

    /** @param owns the clusters this replica runs retention for (its share of the fleet) */
    public RetentionRunner(Regions regions, ClusterRegistry registry, RetentionPolicies policies, RetentionConfig config,
                           EventPublisher publisher, RetentionMetrics metrics, Clock clock, Predicate<String> owns) {
        this.owns = owns;
        this.regions = regions;
        this.registry = registry;
        this.policies = policies;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.failures = new RetentionFailures(publisher);
        this.pruner = new Pruner(regions, failures, metrics, clock, policies.grace(), owns);
    }

    /**
     * What a run would do now in {@code region}; empty for a cluster that is not registered and
     * has nothing in any reachable region. Throws {@link StoreException} if {@code region} is unreachable.
     */
    public Optional<RegionPlan> plan(String clusterId, String region) {
        RegionSnapshots snapshots = RegionSnapshots.read(regions, clusterId, new LinkedHashMap<>());
        if (!snapshots.byRegion().containsKey(region)) {
            new SnapshotCatalog(regions.get(region)).entries(clusterId); // rethrows the store's failure
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
        if (!owns.test(clusterId)) {
            LOG.debugf("no retention run for %s here: another replica owns it", clusterId);
            return List.of();
        }
        synchronized (clusterLocks.computeIfAbsent(clusterId, id -> new Object())) {
            Instant now = clock.instant();
            Map<String, StoreException> unreachable = new LinkedHashMap<>();
            RegionSnapshots snapshots = RegionSnapshots.read(regions, clusterId, unreachable);
            unreachable.forEach((region, e) -> fail(clusterId, null, FailureReason.STORE_UNAVAILABLE,
                    "retention skipped region " + region + ": " + e.getMessage(), region));
            List<RegionPlan> plans = new ArrayList<>();
            for (String region : snapshots.byRegion().keySet()) {
                for (CatalogEntry unknown : snapshots.unknown(region)) {
                    FailureReason reason = unknown.manifestState() == CatalogEntry.ManifestState.UNAVAILABLE
                            ? FailureReason.MANIFEST_UNAVAILABLE : FailureReason.MANIFEST_UNREADABLE;
                    fail(clusterId, unknown.snapshotId(), reason, "kept, not deleted: " + unknown.manifestProblem(),
                            region);
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
                    pruner.enforce(clusterId, region, plan.plan(), snapshots.entries(region));
                    pruner.abortStaleUploads(clusterId, region, now);
                } else if (!plan.plan().pruned().isEmpty() || !plan.plan().leftovers().isEmpty()) {
                    LOG.infof("dry run: cluster %s region %s would prune %d snapshot(s) and remove %d leftover(s)",
                            clusterId, region, plan.plan().pruned().size(), plan.plan().leftovers().size());
                }
            }
            return plans;
        }
    }

    /** Runs every registered cluster this replica owns; a failing cluster does not stop the others. */
    public void runAll() {
        runAll(config.dryRun());
    }

    public void runAll(boolean dryRun) {
        if (!registry.isReady()) {
            return;
        }
        for (String clusterId : registry.all().keySet()) {
            if (!owns.test(clusterId)) {
                continue;
            }
            try {
                run(clusterId, dryRun);
            } catch (RuntimeException e) {
                LOG.errorf(e, "retention run of cluster %s failed", clusterId);
                fail(clusterId, null, FailureReason.INTERNAL, "retention run failed: " + e, null);
            }
        }
    }

    /**
     * Clusters this replica gives up: a run still going on one of them finishes (it stops before
     * its next delete) before the next owner may start, so no snapshot is deleted by two replicas.
     */
    void onRelease(@Observes OwnershipChange change) {
        if (change.gained() || change.lost()) {
            return;
        }
        clusterLocks.forEach((clusterId, lock) -> {
            if (change.covers(clusterId)) {
                synchronized (lock) {
                    // the running run, if any, has ended
                }
            }
        });
    }

    private RegionPlan plan(String clusterId, String region, RegionSnapshots snapshots, Instant now) {
        PolicyChoice choice = policies.choose(registry.get(clusterId).map(ClusterSpec::retention), region);
        RetentionPlan plan = policies.plan(snapshots.facts(region), choice, now);
        return new RegionPlan(clusterId, region, choice, now, policies.grace(), plan);
    }

    private void fail(String clusterId, String snapshotId, FailureReason reason, String message, String region) {
        failures.fail(clusterId, snapshotId, reason, message, region);
    }
}
