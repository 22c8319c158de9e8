package dev.lifeboat.replicator.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.regions.ReplicationTargets;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.EventPublishException;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Stage;
import dev.lifeboat.replicator.config.ReplicatorConfig;
import dev.lifeboat.replicator.metrics.ReplicationMetrics;
import dev.lifeboat.replicator.lag.LagBook;
import dev.lifeboat.store.Regions;

/**
 * What a {@code SnapshotVerified} event sets off: the snapshot copied from the region the event
 * names to every target region of its cluster, in parallel, each with its own retries. The
 * returned future completes once every region succeeded or published its failure; only then may
 * the event be acknowledged.
 */
@ApplicationScoped
public class VerifiedSnapshotReplication {
    private static final Logger LOG = Logger.getLogger(VerifiedSnapshotReplication.class);
    private static final long REGISTRATION_POLL_MILLIS = 100;

    private final Regions regions;
    private final ClusterRegistry registry;
    private final RegionReplicator replicator;
    private final EventPublisher publisher;
    private final ReplicationMetrics metrics;
    private final LagBook lagBook;
    private final ReplicatorConfig config;

    public VerifiedSnapshotReplication(Regions regions, ClusterRegistry registry, RegionReplicator replicator,
                                       EventPublisher publisher, ReplicationMetrics metrics, LagBook lagBook,
                                       ReplicatorConfig config) {
        this.regions = regions;
        this.registry = registry;
        this.replicator = replicator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.lagBook = lagBook;
        this.config = config;
    }

    public CompletableFuture<List<RegionOutcome>> replicate(SnapshotVerified event) {
        String source = event.region() != null && regions.has(event.region()) ? event.region() : regions.primaryName();
        ReplicationTargets found = awaitTargets(event.clusterId(), source);
        if (!(found instanceof ReplicationTargets.Known targets)) {
            LOG.warn("not replicating " + event.clusterId() + "/" + event.snapshotId() + ": "
                    + ((ReplicationTargets.Unknown) found).why() + "; reconciliation copies it once the cluster is known");
            return CompletableFuture.completedFuture(List.of());
        }
        lagBook.seenInSource(event.clusterId(), event.snapshotId());
        for (String name : targets.unconfigured()) {
            metrics.failed(name, FailureReason.UNKNOWN_REGION);
            publisher.publish(BackupFailed.of(event.clusterId(), event.snapshotId(), Stage.REPLICATE,
                    FailureReason.UNKNOWN_REGION, "cluster " + event.clusterId() + " replicates to region " + name
                            + ", which is not configured (configured: " + regions.names() + ")", name, 1));
        }
        List<CompletableFuture<RegionOutcome>> copies = new ArrayList<>();
        for (String target : targets.regions()) {
            copies.add(replicator.replicate(event.clusterId(), event.snapshotId(), source, target));
        }
        return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
                .thenApply(done -> copies.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The cluster's regions from the registry as it is now: {@link ReplicationTargets.Unknown} while
     * the registry is not loaded or the cluster is not registered (never every secondary).
     */
    public ReplicationTargets targetsOf(String clusterId, String source) {
        if (!registry.isCaughtUp()) {
            return ReplicationTargets.unknown("the cluster registry is not loaded yet");
        }
        return registry.get(clusterId)
                .<ReplicationTargets>map(spec -> ReplicationTargets.of(spec.replicateTo(), source, regions.secondaries(),
                        Set.copyOf(regions.names())))
                .orElseGet(() -> ReplicationTargets.unknown("cluster " + clusterId + " is not registered"));
    }

    /**
     * The record waits while its targets are unknown: as long as the registry is not loaded, and up
     * to {@code registry-wait} for a cluster registered just before its first snapshot to show up.
     */
    private ReplicationTargets awaitTargets(String clusterId, String source) {
        try {
            while (!registry.awaitCaughtUp(config.registryWait())) {
                LOG.warn("cluster registry still not loaded; " + clusterId + " waits for its targets");
            }
            long deadline = System.nanoTime() + config.registryWait().toNanos();
            ReplicationTargets targets = targetsOf(clusterId, source);
            while (targets instanceof ReplicationTargets.Unknown && System.nanoTime() < deadline) {
                Thread.sleep(REGISTRATION_POLL_MILLIS); // the registry reader applies records as they come
                targets = targetsOf(clusterId, source);
            }
            return targets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReplicationTargets.unknown("interrupted while waiting for the cluster registry");
        }
    }
}
