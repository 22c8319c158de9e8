package dev.lifeboat.replicator;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;

/**
 * The replicator tests' view of the replicated, failure and dead-letter topics since they were
 * created: one shared test-support {@link TopicRecorder}, read from the beginning, with the
 * filters these tests need. Wait on it with Awaitility.
 */
public final class EventLog {
    /** A record as read: its CloudEvent id, the decoded event (null when undecodable) and raw value. */
    public record Entry(String topic, String ceId, LifeboatEvent event, byte[] value) {}

    private static TopicRecorder recorder;

    private EventLog() {}

    public static synchronized void start() {
        if (recorder != null) {
            return;
        }
        String bootstrap = LifeboatInfrastructure.servers().kafka().bootstrapServers();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        recorder = TopicRecorder.fromBeginning(bootstrap, Topics.SNAPSHOTS_REPLICATED, Topics.FAILURES,
                Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED));
    }

    public static List<Entry> entries() {
        return recorder.records().stream().map(EventLog::entry).toList();
    }

    public static List<SnapshotReplicated> replicated(String clusterId) {
        return entries().stream().map(Entry::event).filter(SnapshotReplicated.class::isInstance)
                .map(SnapshotReplicated.class::cast).filter(e -> e.clusterId().equals(clusterId)).toList();
    }

    public static List<SnapshotReplicated> replicated(String clusterId, String snapshotId, String region) {
        return replicated(clusterId).stream()
                .filter(e -> e.snapshotId().equals(snapshotId) && e.region().equals(region)).toList();
    }

    public static List<BackupFailed> failures(String clusterId) {
        return entries().stream().map(Entry::event).filter(BackupFailed.class::isInstance)
                .map(BackupFailed.class::cast).filter(e -> clusterId.equals(e.clusterId())).toList();
    }

    public static List<Entry> deadLetters() {
        return entries().stream().filter(e -> e.topic().equals(Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED))).toList();
    }

    private static Entry entry(ConsumerRecord<String, byte[]> r) {
        LifeboatEvent event = null;
        try {
            event = CloudEventCodec.decode(r);
        } catch (RuntimeException undecodable) {
            // dead-letter records are kept raw
        }
        return new Entry(r.topic(), CloudEventCodec.header(r.headers(), "ce_id"), event, r.value());
    }
}
