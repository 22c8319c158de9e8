package dev.lifeboat.replicator;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.LifeboatInfrastructure;

/**
 * Everything on the replicated, failure and dead-letter topics since they were created, read by
 * a plain consumer on its own thread (no consumer group), for the tests to look at.
 */
public final class EventLog {
    /** A record as read: its CloudEvent id, the decoded event (null when undecodable) and raw value. */
    public record Entry(String topic, String ceId, LifeboatEvent event, byte[] value) {}

    private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private EventLog() {}

    public static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LifeboatInfrastructure.servers().kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.of(Topics.SNAPSHOTS_REPLICATED, Topics.FAILURES,
                        Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED))
                .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(t, i.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Thread reader = new Thread(() -> {
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    LifeboatEvent event = null;
                    try {
                        event = CloudEventCodec.decode(r);
                    } catch (RuntimeException undecodable) {
                        // dead-letter records are kept raw
                    }
                    ENTRIES.add(new Entry(r.topic(), CloudEventCodec.header(r.headers(), "ce_id"), event, r.value()));
                }
            }
        }, "test-event-log");
        reader.setDaemon(true);
        reader.start();
    }

    public static List<Entry> entries() {
        return List.copyOf(ENTRIES);
    }

    public static List<SnapshotReplicated> replicated(String clusterId) {
        return ENTRIES.stream().map(Entry::event).filter(SnapshotReplicated.class::isInstance)
                .map(SnapshotReplicated.class::cast).filter(e -> e.clusterId().equals(clusterId)).toList();
    }

    public static List<SnapshotReplicated> replicated(String clusterId, String snapshotId, String region) {
        return replicated(clusterId).stream()
                .filter(e -> e.snapshotId().equals(snapshotId) && e.region().equals(region)).toList();
    }

    public static List<BackupFailed> failures(String clusterId) {
        return ENTRIES.stream().map(Entry::event).filter(BackupFailed.class::isInstance)
                .map(BackupFailed.class::cast).filter(e -> clusterId.equals(e.clusterId())).toList();
    }

    public static List<Entry> deadLetters() {
        return ENTRIES.stream().filter(e -> e.topic().equals(Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED))).toList();
    }
}
