package dev.lifeboat.snapshot.taking;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.quarkus.runtime.StartupEvent;

/**
 * The durable record of on-demand snapshots answered 202 and not ended yet, so that one whose
 * replica dies before it ends (SIGKILL, a crash, a lost node) is still reported, by the cluster's
 * next owner ({@link AbandonedSnapshots}). Each is a record of the compacted topic
 * {@link Topics#SNAPSHOTS_ACCEPTED} keyed {@code <cluster id>/<snapshot id>}, written before the
 * 202 (waiting at most {@link #WRITE_TIMEOUT} for Kafka's acknowledgement; while Kafka does not
 * answer, snapshots are still taken, each unrecorded one logged). Its end (taken, failed, cut by a
 * planned stop) writes a null value under the same key without waiting; a cluster that moves to
 * another replica moves after those writes are acknowledged ({@link #flush}). Each record names
 * the process that wrote it ({@link #incarnation}), so a replica never takes its own running
 * snapshots for abandoned ones.
 */
@ApplicationScoped
public class AcceptedSnapshots {
    private static final Logger LOG = Logger.getLogger(AcceptedSnapshots.class);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** An accepted on-demand snapshot, as recorded; {@code incarnation} names the process that accepted it. */
    public record Accepted(String clusterId, String snapshotId, String replica, String incarnation,
                           Instant acceptedAt) {}

    private final KafkaClientConfig kafka;
    private final LifeboatConfig config;
    private final String replica;
    private final String incarnation = UUID.randomUUID().toString();
    private volatile CompactedTopic topic;

    public AcceptedSnapshots(KafkaClientConfig kafka, LifeboatConfig config, ClusterOwnership ownership) {
        this.kafka = kafka;
        this.config = config;
        this.replica = ownership.replica();
    }

    // after the other topics (priority 1), before the API and the schedule take snapshots
    void onStart(@Observes @Priority(2) StartupEvent event) {
        topic = CompactedTopic.open(kafka, new TopicSetup(kafka, config.topics().partitions(),
                config.topics().replicationFactor()), Topics.SNAPSHOTS_ACCEPTED, "snapshot-accepted-" + replica,
                WRITE_TIMEOUT);
    }

    /** After every shutdown observer: the last snapshots' ends are written first. */
    @PreDestroy
    void close() {
        CompactedTopic t = topic;
        if (t != null) {
            t.close();
        }
    }

    /** This process, as its records name it. */
    public String incarnation() {
        return incarnation;
    }

    static String key(String clusterId, String snapshotId) {
        return clusterId + "/" + snapshotId;
    }

    /** Records the snapshot as accepted; it stays recorded until {@link #ended}. Waits at most {@link #WRITE_TIMEOUT}. */
    void accepted(String clusterId, String snapshotId) {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        try {
            byte[] value = EventJson.mapper().writeValueAsBytes(
                    new Accepted(clusterId, snapshotId, replica, incarnation, Instant.now()));
            // send() itself may wait for metadata (max.block.ms); the acknowledgement gets what is left
            Future<?> sent = topic().write(key(clusterId, snapshotId), value, null);
            sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException | TimeoutException | ExecutionException e) {
            LOG.warnf("cluster %s: on-demand snapshot %s accepted but not recorded on %s (%s): should this replica"
                    + " die before it ends, nothing reports it", clusterId, snapshotId, Topics.SNAPSHOTS_ACCEPTED, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The snapshot has ended (its own event says how): its record is removed, without waiting. */
    void ended(String clusterId, String snapshotId) {
        try {
            topic().write(key(clusterId, snapshotId), null, (meta, e) -> {
                        if (e != null) {
                            LOG.warnf("cluster %s: the end of on-demand snapshot %s not recorded on %s (%s): its next"
                                    + " owner may report it as SNAPSHOT_ABANDONED although it ended", clusterId,
                                    snapshotId, Topics.SNAPSHOTS_ACCEPTED, e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warnf("cluster %s: the end of on-demand snapshot %s not recorded on %s (%s)", clusterId, snapshotId,
                    Topics.SNAPSHOTS_ACCEPTED, e.toString());
        }
    }

    /** Waits until every record written so far is acknowledged or failed (each within {@link #WRITE_TIMEOUT}). */
    public void flush() {
        CompactedTopic t = topic;
        if (t != null) {
            t.flush();
        }
    }

    private CompactedTopic topic() {
        CompactedTopic t = topic;
        if (t == null) {
            throw new IllegalStateException("not started");
        }
        return t;
    }

    /**
     * Every recorded snapshot that has not ended: the whole topic, read from its start to its end
     * as of this call.
     *
     * @throws IllegalStateException when Kafka does not deliver it within 30 s
     */
    public List<Accepted> unended() {
        Map<String, Accepted> open = new HashMap<>();
        topic().latestValues(READ_TIMEOUT).forEach((key, value) -> {
                    try {
                        open.put(key, EventJson.mapper().readValue(value, Accepted.class));
                    } catch (IOException unreadable) {
                        LOG.warnf("unreadable record %s on %s: %s", key, Topics.SNAPSHOTS_ACCEPTED,
                                unreadable.getMessage());
                    }
                });
        return List.copyOf(open.values());
    }
}
