package dev.lifeboat.retention.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.LifeboatInfrastructure;

/**
 * A taken event starts a (dry) run for its cluster; a policy that would delete everything raises
 * POLICY_WOULD_DELETE_ALL and deletes nothing; an undecodable record goes to the dead-letter topic
 * and does not stop the consumer.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SnapshotEventsConsumerIT {
    private static final String CLUSTER = "retention-trigger-it";

    @Inject
    EventPublisher publisher;
    @Inject
    ClusterRegistry registry;
    @Inject
    Regions regions;

    @Test
    void poisonIsParkedAndATakenEventTriggersARun() {
        ClusterSpec.RetentionSpec keepNothing = new ClusterSpec.RetentionSpec(0, 0, 0, 0, 0, 0, 0);
        publisher.publish(new ClusterRegistered(CLUSTER, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                null, keepNothing, null, null, Map.of()), Instant.now()));
        await("the registration").atMost(Duration.ofSeconds(30))
                .until(() -> registry.get(CLUSTER).isPresent());
        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        Instant takenAt = Instant.now().minus(Duration.ofDays(10));
        String id = SnapshotIds.newSnapshotId(takenAt);
        SyntheticSnapshots.write(new SyntheticSnapshots.Written(primary, CLUSTER, id, takenAt, true, false));

        try (TopicRecorder dlq = TopicRecorder.fromEnd(kafka(), Topics.deadLetter(Topics.SNAPSHOTS_TAKEN));
             TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            try (KafkaProducer<String, byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(Topics.SNAPSHOTS_TAKEN, CLUSTER,
                        "not a cloud event".getBytes(StandardCharsets.UTF_8))).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            publisher.publish(new SnapshotTaken(CLUSTER, id, LifeboatInfrastructure.PRIMARY,
                    SnapshotLayout.objectKey(CLUSTER, id, SnapshotEncoding.IDENTITY), 10, "0".repeat(64), 1, "1", "3.4.23", "ON_DEMAND",
                    takenAt, 1));

            dlq.awaitRecords(records -> records.stream().anyMatch(r -> CLUSTER.equals(r.key())),
                    Duration.ofSeconds(60));
            List<BackupFailed> raised = failures.awaitEvents(BackupFailed.class, CLUSTER, 1, Duration.ofSeconds(60));
            assertThat(raised.get(0).reason()).isEqualTo(FailureReason.POLICY_WOULD_DELETE_ALL);
            assertThat(raised.get(0).stage()).isEqualTo(Stage.PRUNE);
            assertThat(raised.get(0).region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
        }
        assertThat(primary.stat(SnapshotLayout.manifestKey(CLUSTER, id))).isPresent();
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LifeboatInfrastructure.servers().kafka().bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static String kafka() {
        return LifeboatInfrastructure.servers().kafka().bootstrapServers();
    }
}
