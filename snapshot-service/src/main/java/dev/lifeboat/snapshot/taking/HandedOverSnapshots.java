package dev.lifeboat.snapshot.taking;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.config.LifeboatConfig;
import dev.lifeboat.kit.messaging.CompactedTopic;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.messaging.TopicSetup;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.kit.ownership.OwnershipChange;
import io.quarkus.runtime.StartupEvent;

/**
 * Snapshots that were still running when their replica gave the cluster up: its release waited
 * {@code lifeboat.ownership.release-timeout} for them in vain, or Kafka took the cluster away
 * (the replica was presumed dead). Such a snapshot goes on where it runs and ends under its own
 * id. Each is a record of the compacted topic {@link Topics#SNAPSHOTS_HANDED_OVER} keyed
 * {@code <cluster id>/<snapshot id>}, written before the cluster moves, renewed every
 * {@link #RENEW} while the snapshot runs and removed when it ends. The cluster's next owner asks
 * {@link #runningElsewhere}: while the answer is yes, it does not plan the cluster (so it does not
 * take that fire late under a second id), answers 409 to a new on-demand snapshot, and does not
 * report the on-demand one as abandoned. A record not renewed for {@link #STALE} (the replica
 * died since) counts as ended, and is removed: the next owner then does what it does for a dead
 * replica's snapshot. This compares the writer's clock with the reader's: replicas' clocks are
 * assumed to agree within seconds (NTP).
 */
@ApplicationScoped
public class HandedOverSnapshots {
    private static final Logger LOG = Logger.getLogger(HandedOverSnapshots.class);
    static final Duration RENEW = Duration.ofSeconds(5);
    static final Duration STALE = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** A snapshot running on {@code replica} (process {@code incarnation}) after it gave the cluster up. */
    public record HandedOver(String clusterId, String snapshotId, String replica, String incarnation,
                             Instant startedAt, Instant renewedAt) {}

    private final KafkaClientConfig kafka;
    private final LifeboatConfig config;
    private final String replica;
    private final String incarnation;
    /** This process's own handed-over snapshots that still run, by key. */
    private final Map<String, HandedOver> mine = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "handed-over-snapshots");
        t.setDaemon(true);
        return t;
    });
    private volatile CompactedTopic topic;
    /** Other processes' live records by cluster, as of the last read, and when that read began. */
    private Map<String, HandedOver> elsewhere = Map.of();
    private Instant readAt;

    public HandedOverSnapshots(KafkaClientConfig kafka, LifeboatConfig config, ClusterOwnership ownership,
                               AcceptedSnapshots accepted) {
        this.kafka = kafka;
        this.config = config;
        this.replica = ownership.replica();
        this.incarnation = accepted.incarnation();
    }

    // after the other topics (priority 1), before the API and the schedule take snapshots
    void onStart(@Observes @Priority(2) StartupEvent event) {
        topic = CompactedTopic.open(kafka, new TopicSetup(kafka, config.topics().partitions(),
                config.topics().replicationFactor()), Topics.SNAPSHOTS_HANDED_OVER, "snapshot-handed-over-" + replica,
                WRITE_TIMEOUT);
        renewals.scheduleWithFixedDelay(this::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** After every shutdown observer: the last ends are written first. */
    @PreDestroy
    void close() {
        renewals.shutdownNow();
        CompactedTopic t = topic;
        if (t != null) {
            t.close();
        }
    }

    /** A gain makes the next question read the topic again: the last owner wrote before it let go. */
    void gained(@Observes OwnershipChange change) {
        if (change.gained()) {
            synchronized (this) {
                readAt = null;
            }
        }
    }

    static String key(String clusterId, String snapshotId) {
        return clusterId + "/" + snapshotId;
    }

    /**
     * This replica gives the cluster up while the snapshot still runs here: recorded until it ends.
     * {@code stillRunning} is asked after the record is written, so a snapshot that ended meanwhile
     * is not left recorded.
     */
    void handedOver(String clusterId, RunningSnapshot run, BooleanSupplier stillRunning) {
        String key = key(clusterId, run.snapshotId());
        HandedOver h = new HandedOver(clusterId, run.snapshotId(), replica, incarnation, run.startedAt(), Instant.now());
        mine.put(key, h);
        write(h);
        if (!stillRunning.getAsBoolean()) {
            mine.remove(key);
            send(key, null, clusterId);
            return;
        }
        LOG.infof("cluster %s: snapshot %s still runs here after the cluster was handed over; it finishes here,"
                + " and the next owner waits for it", clusterId, run.snapshotId());
    }

    /** The snapshot ended (its own event says how): a handed-over record of it is removed. */
    void ended(String clusterId, String snapshotId) {
        String key = key(clusterId, snapshotId);
        if (mine.remove(key) != null) {
            send(key, null, clusterId);
        }
    }

    /** Waits until every record written so far is acknowledged or failed (each within 5 s). */
    public void flush() {
        CompactedTopic t = topic;
        if (t != null) {
            t.flush();
        }
    }

    private void renew() {
        Instant now = Instant.now();
        mine.replaceAll((key, h) -> {
            HandedOver renewed = new HandedOver(h.clusterId(), h.snapshotId(), h.replica(), h.incarnation(),
                    h.startedAt(), now);
            write(renewed);
            return renewed;
        });
    }

    private void write(HandedOver h) {
        try {
            send(key(h.clusterId(), h.snapshotId()), EventJson.mapper().writeValueAsBytes(h), h.clusterId());
        } catch (IOException e) {
            LOG.warnf("cluster %s: handed-over snapshot %s not recorded: %s", h.clusterId(), h.snapshotId(), e.toString());
        }
    }

    private void send(String key, byte[] value, String clusterId) {
        try {
            CompactedTopic t = topic;
            if (t == null) {
                throw new IllegalStateException("not started");
            }
            t.write(key, value, (meta, e) -> {
                if (e != null) {
                    unrecorded(key, clusterId, e);
                }
            });
        } catch (RuntimeException e) {
            unrecorded(key, clusterId, e);
        }
    }

    private static void unrecorded(String key, String clusterId, Exception e) {
        LOG.warnf("cluster %s: %s not written on %s (%s): the cluster's next owner may take the fire late, or report"
                + " the on-demand snapshot abandoned, while it still runs here", clusterId, key,
                Topics.SNAPSHOTS_HANDED_OVER, e.toString());
    }

    /**
     * The snapshot of the cluster that another process still runs after it gave the cluster up, if
     * any, as the topic was at {@code asOf} or later, and after this replica's last gain (read
     * again when the last read began before either). When the topic cannot be read, none (logged):
     * the next owner then acts as if the last one died.
     */
    public synchronized Optional<HandedOver> runningElsewhere(String clusterId, Instant asOf) {
        if (readAt == null || readAt.isBefore(asOf)) {
            readAt = Instant.now();
            elsewhere = readAll(readAt);
        }
        return Optional.ofNullable(elsewhere.get(clusterId));
    }

    private Map<String, HandedOver> readAll(Instant now) {
        CompactedTopic t = topic;
        Map<String, byte[]> values;
        try {
            if (t == null) {
                throw new IllegalStateException(Topics.SNAPSHOTS_HANDED_OVER + " not opened yet");
            }
            values = t.latestValues(READ_TIMEOUT);
        } catch (IllegalStateException e) {
            LOG.warnf("%s: snapshots still running on a replica that gave their cluster up are not waited for",
                    e.getMessage());
            return Map.of();
        }
        Map<String, HandedOver> live = new HashMap<>();
        values.forEach((key, value) -> {
            HandedOver h = parse(key, value);
            if (h != null && h.incarnation().equals(incarnation)) {
                return; // this process's own: it runs here, where SnapshotJobs knows it
            }
            if (h != null && h.renewedAt().isAfter(now.minus(STALE))) {
                live.put(h.clusterId(), h);
                return;
            }
            if (h != null) {
                LOG.infof("cluster %s: snapshot %s, handed over while running on replica %s, not renewed since %s:"
                        + " that process stopped", h.clusterId(), h.snapshotId(), h.replica(), h.renewedAt());
            }
            try { // not renewed (its process is gone) or unreadable: removed
                t.write(key, null, null);
            } catch (RuntimeException e) {
                LOG.debugf("record %s on %s not removed: %s", key, Topics.SNAPSHOTS_HANDED_OVER, e.toString());
            }
        });
        return Map.copyOf(live);
    }

    private static HandedOver parse(String key, byte[] value) {
        try {
            HandedOver h = EventJson.mapper().readValue(value, HandedOver.class);
            return key.equals(key(h.clusterId(), h.snapshotId())) && h.renewedAt() != null && h.incarnation() != null
                    ? h : null;
        } catch (IOException unreadable) {
            LOG.warnf("unreadable record %s on %s (removed): %s", key, Topics.SNAPSHOTS_HANDED_OVER,
                    unreadable.getMessage());
            return null;
        }
    }
}
