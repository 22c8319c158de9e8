package dev.lifeboat.retention.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.lifeboat.common.regions.ReplicationTargets;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import io.quarkus.scheduler.Scheduled;

/**
 * Per registered cluster (and per deregistered one whose snapshots remain and whose deregistration
 * no admin confirmed) and each region it is backed up to (the primary and its replication
 * targets): raises STALE_BACKUP when the newest verified snapshot there is older than the
 * cluster's {@link RecoveryPointObjective}, repeats it at a bounded rate, resolves it when it clears.
 *
 * <p>A pass reads listings only ({@link NewestVerifiedSnapshots}): at most two per cluster and
 * region, whatever the history; each pass publishes what it cost ({@link RetentionMetrics#watchdogPass}).
 * Episodes are those of {@link StaleBackupHistory}: what was raised
 * and resolved on the failure topic, so a restart neither raises a lasting condition as new nor
 * loses the resolve of one that cleared meanwhile.
 */
@ApplicationScoped
public class FreshnessWatchdog {
    private static final Logger LOG = Logger.getLogger(FreshnessWatchdog.class);

    private final ClusterRegistry registry;
    private final Regions regions;
    private final EventPublisher publisher;
    private final RetentionMetrics metrics;
    private final Clock clock;
    private final Duration firstBackupGrace;
    private final StaleBackupHistory history;
    private final Predicate<String> watches;
    private final StalenessTracker tracker;

    @Inject
    public FreshnessWatchdog(ClusterRegistry registry, Regions regions, EventPublisher publisher,
                             RetentionMetrics metrics, Clock clock, RetentionConfig config, StaleBackupHistory history,
                             ClusterOwnership ownership) {
        this(registry, regions, publisher, metrics, clock, config, history, ownership::owns);
    }

    /**
     * @param watches the clusters this watchdog judges (this replica's share of the fleet); the
     *                others are left to the replicas that own them
     */
    public FreshnessWatchdog(ClusterRegistry registry, Regions regions, EventPublisher publisher, RetentionMetrics metrics,
                      Clock clock, RetentionConfig config, StaleBackupHistory history, Predicate<String> watches) {
        this.watches = watches;
        this.registry = registry;
        this.regions = regions;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.firstBackupGrace = config.watchdog().firstBackupGrace();
        this.history = history;
        this.tracker = history.tracker();
    }

    /** The episode key of a cluster in a region. */
    static String key(String clusterId, String region) {
        return clusterId + "/" + region;
    }

    @Scheduled(identity = "freshness-watchdog", every = "${lifeboat.retention.watchdog.interval:1m}",
            delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check(clock.instant());
    }

    /** Checks every registered cluster as of {@code now}. */
    public synchronized void check(Instant now) {
        if (!registry.isReady() || !history.isReady()) {
            LOG.warnf("freshness not checked: %s is not being read", registry.isReady() ? "the STALE_BACKUP history"
                    : "the cluster registry");
            return;
        }
        long started = System.nanoTime();
        Set<String> live = new HashSet<>();
        Map<String, Set<String>> watched = new HashMap<>();
        Map<String, CountingObjectStore> counted = new HashMap<>();
        registry.all().forEach((clusterId, spec) -> {
            if (!watches.test(clusterId)) {
                return;
            }
            try {
                live.addAll(check(clusterId, spec, false, now, watched, counted));
            } catch (RuntimeException e) {
                LOG.errorf(e, "freshness check of cluster %s failed", clusterId);
            }
        });
        registry.retired().forEach((clusterId, lastSpec) -> {
            if (!watches.test(clusterId)) {
                return;
            }
            try {
                live.addAll(check(clusterId, lastSpec, true, now, watched, counted));
            } catch (RuntimeException e) {
                LOG.errorf(e, "freshness check of deregistered cluster %s failed", clusterId);
            }
        });
        // episodes of clusters another replica watches stay known: this one may own them next
        tracker.retain(key -> live.contains(key) || isWatchedElsewhere(key.substring(0, key.indexOf('/'))));
        metrics.watchedOnly(watched);
        metrics.watchdogPass(watched.size(), counted.values().stream().mapToInt(CountingObjectStore::total).sum(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private boolean isWatchedElsewhere(String clusterId) {
        return !watches.test(clusterId)
                && (registry.get(clusterId).isPresent() || registry.retired(clusterId).isPresent());
    }

    /**
     * @param retired deregistered without confirmation: judged by its last spec in each region
     *                that still holds snapshots of it; no first backup is due any more
     */
    private List<String> check(String clusterId, ClusterSpec spec, boolean retired, Instant now,
                               Map<String, Set<String>> watched, Map<String, CountingObjectStore> counted) {
        Optional<Duration> rpo = RecoveryPointObjective.of(spec, now);
        if (rpo.isEmpty()) {
            return List.of(); // on demand only and no explicit RPO: nothing to expect
        }
        Optional<Instant> firstDue = retired ? Optional.empty() : registry.registration(clusterId)
                .flatMap(r -> RecoveryPointObjective.firstBackupDue(spec, r.firstBackupFrom(), now));
        metrics.recoveryPointObjective(clusterId, rpo.get());
        metrics.firstBackupDeadline(clusterId, firstDue.map(d -> d.plus(firstBackupGrace)).orElse(null));
        Set<String> watchedRegions = watched.computeIfAbsent(clusterId, id -> new HashSet<>());
        Map<String, ObjectStore> stores = new LinkedHashMap<>();
        targetRegions(spec).forEach(region -> stores.put(region,
                counted.computeIfAbsent(region, r -> new CountingObjectStore(regions.get(r)))));
        List<String> keys = new ArrayList<>();
        NewestVerifiedSnapshots.read(stores, clusterId, now.minus(rpo.get())).forEach((region, view) -> {
            String key = key(clusterId, region);
            if (!view.readable()) {
                // cannot tell: the episode stays as it is, until the outage outlasts the RPO
                keys.add(key);
                watchedRegions.add(region); // its gauge keeps the last known time, and ages
                LOG.warnf("freshness of %s in region %s unknown: %s", clusterId, region, view.unreadable().getMessage());
                StalenessTracker.Outcome outcome = tracker.unreadable(key, rpo.get(), now);
                Instant since = tracker.unreadableSince(key).orElse(now);
                report(key, clusterId, region, new Freshness(true, "region " + region + " cannot be read since "
                        + since + ", longer than the RPO: " + view.unreadable().getMessage()), outcome, now);
                return;
            }
            if (retired && !view.holdsComplete()) {
                return; // its snapshots are gone from this region: nothing left to watch
            }
            metrics.newestVerified(clusterId, region, view.newestVerified().orElse(null));
            Freshness freshness = Freshness.judge(view.newestVerified(), rpo.get(), firstDue, firstBackupGrace, now);
            keys.add(key);
            watchedRegions.add(region);
            report(key, clusterId, region, retired ? new Freshness(freshness.stale(), freshness.detail()
                    + " (the cluster was deregistered; confirm with DELETE ?intended=true to stop watching it)")
                    : freshness, tracker.observe(key, freshness.stale(), now), now);
        });
        return keys;
    }

    /** The primary and the regions the replicator copies the cluster to: where its backups must be fresh. */
    private List<String> targetRegions(ClusterSpec spec) {
        return ReplicationTargets.of(spec.replicateTo(), regions.primaryName(), regions.secondaries(),
                Set.copyOf(regions.names())).withSource();
    }

    /** Publishes a raise or resolve; the tracker advances only once it is published, else it is proposed again. */
    private void report(String key, String clusterId, String region, Freshness freshness,
                        StalenessTracker.Outcome outcome, Instant now) {
        BackupFailed event;
        if (outcome instanceof StalenessTracker.Raise raise) {
            event = BackupFailed.of(clusterId, null, Stage.FRESHNESS, FailureReason.STALE_BACKUP, "backups of "
                    + clusterId + " in region " + region + " are stale since " + raise.staleSince() + ": "
                    + freshness.detail(), region, now, raise.attempt());
        } else if (outcome instanceof StalenessTracker.Resolve resolve) {
            event = BackupFailed.resolved(clusterId, Stage.FRESHNESS, FailureReason.STALE_BACKUP, "backups of "
                    + clusterId + " in region " + region + " are fresh again (stale since " + resolve.staleSince()
                    + "): " + freshness.detail(), region, now, resolve.attempts());
        } else {
            return;
        }
        try {
            publisher.publish(event);
            tracker.published(key, outcome, now);
            LOG.infof("%s STALE_BACKUP for %s in region %s", event.resolved() ? "resolved" : "raised", clusterId,
                    region);
        } catch (RuntimeException e) {
            LOG.errorf("could not publish STALE_BACKUP for %s in region %s (proposed again next pass): %s",
                    clusterId, region, e.getMessage());
        }
    }
}
