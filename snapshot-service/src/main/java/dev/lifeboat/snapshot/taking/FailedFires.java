package dev.lifeboat.snapshot.taking;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.config.LifeboatConfig;
import dev.lifeboat.kit.messaging.CompactedTopic;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.messaging.TopicSetup;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.store.SnapshotIds;
import io.quarkus.runtime.StartupEvent;

/**
 * The scheduled fires whose attempt failed and was announced (a failure event names the fire's
 * snapshot id), on whichever replica: a later catch-up that finds such a fire superseded and
 * without a snapshot does not name it a second time as SNAPSHOT_SKIPPED. Each is a record of the
 * compacted topic {@link Topics#SNAPSHOTS_FAILED_FIRES} keyed {@code <cluster id>/<snapshot id>},
 * written after its failure event is published, so a process killed in between leaves the fire
 * named twice, never unnamed. Records of fires older than the catch-up window, which no catch-up
 * names, are removed when the topic is read; a cluster that moves to another replica moves after
 * this replica's records are acknowledged ({@link #flush}).
 */
@ApplicationScoped
public class FailedFires {
    private static final Logger LOG = Logger.getLogger(FailedFires.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** A fire's failed attempt, as recorded. */
    record FailedFire(String clusterId, String snapshotId, String reason, Instant failedAt) {}

    private final KafkaClientConfig kafka;
    private final LifeboatConfig config;
    private final String replica;
    private final Duration window;
    private volatile CompactedTopic topic;
    /** The keys of the last read of the topic, and when that read began. */
    private Set<String> read = Set.of();
    private Instant readAt;

    public FailedFires(KafkaClientConfig kafka, LifeboatConfig config, ClusterOwnership ownership,
                       SnapshotConfig snapshotConfig) {
        this.kafka = kafka;
        this.config = config;
        this.replica = ownership.replica();
        this.window = snapshotConfig.catchUpWindow();
    }

    // after the other topics (priority 1), before the schedule takes snapshots
    void onStart(@Observes @Priority(2) StartupEvent event) {
        topic = CompactedTopic.open(kafka, new TopicSetup(kafka, config.topics().partitions(),
                config.topics().replicationFactor()), Topics.SNAPSHOTS_FAILED_FIRES, "snapshot-failed-fires-" + replica,
                WRITE_TIMEOUT);
    }

    /** After every shutdown observer: the last records are written first. */
    @PreDestroy
    void close() {
        CompactedTopic t = topic;
        if (t != null) {
            t.close();
        }
    }

    static String key(String clusterId, String snapshotId) {
        return clusterId + "/" + snapshotId;
    }

    /** The attempt of the fire whose snapshot id this is failed, and its failure event is published. */
    void failed(String clusterId, String snapshotId, FailureReason reason) {
        CompactedTopic t = topic;
        try {
            if (t == null) {
                throw new IllegalStateException("not started");
            }
            byte[] value = EventJson.mapper().writeValueAsBytes(new FailedFire(clusterId, snapshotId, reason.name(), Instant.now()));
            t.write(key(clusterId, snapshotId), value, (meta, e) -> {
                if (e != null) {
                    unrecorded(clusterId, snapshotId, e);
                }
            });
        } catch (IOException | RuntimeException e) {
            unrecorded(clusterId, snapshotId, e);
        }
    }

    private static void unrecorded(String clusterId, String snapshotId, Exception e) {
        LOG.warnf("cluster %s: the failed fire %s not recorded on %s (%s): should a later catch-up find it superseded,"
                + " it names it SNAPSHOT_SKIPPED as well", clusterId, snapshotId, Topics.SNAPSHOTS_FAILED_FIRES, e.toString());
    }

    /** Waits until every record written so far is acknowledged or failed (each within 5 s). */
    public void flush() {
        CompactedTopic t = topic;
        if (t != null) {
            t.flush();
        }
    }

    /**
     * Whether a replica recorded the failed attempt of the fire whose snapshot id this is, as the
     * topic was at {@code asOf} or later: read again when the last read began before it (once for
     * the many clusters a replica plans at start-up or gains at once). When the topic cannot be
     * read, false (logged): the fire is then named again rather than not at all.
     */
    public synchronized boolean recorded(String clusterId, String snapshotId, Instant asOf) {
        if (readAt == null || readAt.isBefore(asOf)) {
            readAt = Instant.now();
            read = readAll(readAt);
        }
        return read.contains(key(clusterId, snapshotId));
    }

    private Set<String> readAll(Instant now) {
        CompactedTopic t = topic;
        Map<String, byte[]> values;
        try {
            if (t == null) {
                throw new IllegalStateException(Topics.SNAPSHOTS_FAILED_FIRES + " not opened yet");
            }
            values = t.latestValues(READ_TIMEOUT);
        } catch (IllegalStateException e) {
            LOG.warnf("%s: superseded fires whose attempt failed are named SNAPSHOT_SKIPPED as well", e.getMessage());
            return Set.of();
        }
        Instant oldest = now.minus(window);
        Set<String> keys = new HashSet<>();
        values.forEach((key, value) -> {
            if (current(key, value, oldest)) {
                keys.add(key);
            } else { // older than any catch-up looks, or unreadable: removed
                try {
                    t.write(key, null, null);
                } catch (RuntimeException e) { // closing, or Kafka gone: removed at a later read
                    LOG.debugf("record %s on %s not removed: %s", key, Topics.SNAPSHOTS_FAILED_FIRES, e.toString());
                }
            }
        });
        return Set.copyOf(keys);
    }

    private static boolean current(String key, byte[] value, Instant oldest) {
        try {
            FailedFire f = EventJson.mapper().readValue(value, FailedFire.class);
            return key.equals(key(f.clusterId(), f.snapshotId())) && SnapshotIds.isValidSnapshotId(f.snapshotId())
                    && !SnapshotIds.timeOf(f.snapshotId()).isBefore(oldest);
        } catch (IOException unreadable) {
            LOG.warnf("unreadable record %s on %s (removed): %s", key, Topics.SNAPSHOTS_FAILED_FIRES,
                    unreadable.getMessage());
            return false;
        }
    }
}
