package dev.lifeboat.replicator.reconciliation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.regions.ReplicationTargets;
import dev.lifeboat.common.retention.PolicyChoice;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.kit.retention.RetentionPolicies;
import dev.lifeboat.replicator.config.ReplicatorConfig;
import dev.lifeboat.replicator.metrics.ReplicationMetrics;
import dev.lifeboat.replicator.replication.RegionOutcome;
import dev.lifeboat.replicator.replication.RegionReplicator;
import dev.lifeboat.replicator.replication.VerifiedSnapshotReplication;
import dev.lifeboat.replicator.lag.LagBook;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.StoreException;
import io.quarkus.scheduler.Scheduled;

/**
 * The periodic safety net: for every registered cluster, compares the verified complete snapshots
 * in the primary with each target region and copies what is missing or damaged, newest first,
 * at most {@code max-copies-per-run} per (cluster, region) and {@code budget-per-run} in all; its
 * copies queue behind every event copy of their region. It never copies what the target region's
 * retention would prune ({@link ReplicationGap}, with the same {@code lifeboat.retention.*} policies
 * the retention-service enforces), so a region that keeps less than the primary is not refilled. A region that was down for a day catches up on its own, whatever happened to
 * the events of that day. Also sets the replication lag gauges from what the stores hold.
 */
@ApplicationScoped
public class Reconciliation {
    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final Regions regions;
    private final ClusterRegistry registry;
    private final VerifiedSnapshotReplication replication;
    private final RegionReplicator replicator;
    private final ReplicationMetrics metrics;
    private final LagBook lagBook;
    private final ReplicatorConfig config;
    private final ClusterOwnership ownership;
    private final RetentionPolicies policies;
    private final Clock clock;

    public Reconciliation(Regions regions, ClusterRegistry registry, VerifiedSnapshotReplication replication,
                          RegionReplicator replicator, ReplicationMetrics metrics, LagBook lagBook,
                          ReplicatorConfig config, ClusterOwnership ownership, RetentionPolicies policies,
                          Clock clock) {
        this.ownership = ownership;
        this.policies = policies;
        this.clock = clock;
        this.regions = regions;
        this.registry = registry;
        this.replication = replication;
        this.replicator = replicator;
        this.metrics = metrics;
        this.lagBook = lagBook;
        this.config = config;
    }

    @Scheduled(identity = "reconcile", every = "${lifeboat.replicator.reconcile.interval}",
            delayed = "${lifeboat.replicator.reconcile.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.reconcile().enabled()) {
            ReconciliationReport report = reconcile();
            metrics.reconciled(report.sourceReachable(), report.copied());
            LOG.info("reconciliation: " + report);
        }
    }

    /** One full run; waits for its copies. */
    public synchronized ReconciliationReport reconcile() {
        String source = regions.primaryName();
        SnapshotCatalog sourceCatalog = new SnapshotCatalog(regions.primary());
        // the registered clusters this replica owns: no listing of the bucket (deregistered ones have
        // no known targets anyway), and each cluster reconciled by one replica
        Set<String> clusters = new TreeSet<>(registry.all().keySet());
        clusters.removeIf(clusterId -> !ownership.owns(clusterId));
        if (!regions.primary().isReachable()) {
            LOG.warn("reconciliation skipped: primary region " + source + " unavailable");
            return new ReconciliationReport(0, 0, 0, 0, 0, List.of(), false);
        }
        int budget = config.reconcile().budgetPerRun();
        Set<String> unreachable = new LinkedHashSet<>();
        List<CompletableFuture<RegionOutcome>> copies = new ArrayList<>();
        int prunedByTarget = 0;
        Instant now = clock.instant();
        for (String clusterId : clusters) {
            List<CatalogEntry> verified;
            try {
                verified = sourceCatalog.complete(clusterId).stream().filter(CatalogEntry::verified).toList();
            } catch (StoreException e) {
                LOG.warn("reconciliation of " + clusterId + " skipped: " + e.getMessage());
                continue;
            }
            if (!(replication.targetsOf(clusterId, source) instanceof ReplicationTargets.Known targets)) {
                continue; // not registered (or the registry not loaded): nothing is copied for it
            }
            for (String target : targets.regions()) {
                List<CatalogEntry> present = null;
                if (!unreachable.contains(target)) {
                    try {
                        present = new SnapshotCatalog(regions.get(target)).entries(clusterId);
                    } catch (StoreException e) {
                        LOG.info("reconciliation: region " + target + " unavailable: " + e.getMessage());
                        unreachable.add(target);
                    }
                }
                updateLag(clusterId, target, verified, present);
                if (present == null) {
                    continue;
                }
                int room = Math.min(config.reconcile().maxCopiesPerRun(), budget - copies.size());
                PolicyChoice policy = policies.choose(registry.get(clusterId).map(ClusterSpec::retention), target);
                ReplicationGap.Gap gap = ReplicationGap.between(verified, present, Math.max(room, 0),
                        facts -> policies.plan(facts, policy, now));
                if (!gap.prunedByTarget().isEmpty()) {
                    prunedByTarget += gap.prunedByTarget().size();
                    LOG.debugf("reconciliation: %d snapshot(s) of %s not copied to %s, its retention (%s: %s) "
                            + "would prune them", gap.prunedByTarget().size(), clusterId, target, policy.source(),
                            policy.policy().describe());
                }
                for (String snapshotId : gap.toCopy()) {
                    copies.add(replicator.replicateOnce(clusterId, snapshotId, source, target));
                }
            }
        }
        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).join();
        List<RegionOutcome> outcomes = copies.stream().map(CompletableFuture::join).toList();
        return new ReconciliationReport(clusters.size(),
                (int) outcomes.stream().filter(RegionOutcome::succeeded).count(),
                (int) outcomes.stream().filter(o -> o.reason() != null).count(),
                (int) outcomes.stream().filter(o -> !o.succeeded() && o.reason() == null).count(),
                prunedByTarget, List.copyOf(unreachable), true);
    }

    /** {@code present} null: the region could not be listed, so what is known of it stays as it was. */
    private void updateLag(String clusterId, String region, List<CatalogEntry> verified, List<CatalogEntry> present) {
        Optional<String> newestSource = verified.stream().findFirst().map(CatalogEntry::snapshotId);
        Optional<String> oldestSource = verified.isEmpty() ? Optional.empty()
                : Optional.of(verified.get(verified.size() - 1).snapshotId());
        if (present == null) {
            lagBook.resetSource(clusterId, newestSource, oldestSource);
        } else {
            Optional<String> newestRegion = present.stream().filter(CatalogEntry::complete).findFirst()
                    .map(CatalogEntry::snapshotId);
            lagBook.reset(clusterId, region, newestSource, oldestSource, newestRegion);
        }
        metrics.lag(clusterId, region, lagBook.lag(clusterId, region, clock.instant()));
    }
}
