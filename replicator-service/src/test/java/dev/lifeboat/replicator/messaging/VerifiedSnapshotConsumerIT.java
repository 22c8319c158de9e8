package dev.lifeboat.replicator.messaging;

import static dev.lifeboat.replicator.PrimaryFixture.clusterId;
import static dev.lifeboat.replicator.PrimaryFixture.nextSnapshotId;
import static dev.lifeboat.replicator.PrimaryFixture.store;
import static dev.lifeboat.replicator.PrimaryFixture.uploadVerified;
import static dev.lifeboat.replicator.PrimaryFixture.verified;
import static dev.lifeboat.testing.LifeboatInfrastructure.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.replicator.EtcdSnapshots;
import dev.lifeboat.replicator.PrimaryFixture;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;

/**
 * The consumer's handling of a record, through the in-memory connector on its own channel
 * ({@link VerifiedSnapshotConsumer#CHANNEL}), with real stores and registry: a record is
 * acknowledged once its copy is complete, a record waiting for a region that is down is not
 * acknowledged (and holds up no record after it), and a poison record is rejected at once.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(value = VerifiedSnapshotConsumerIT.InMemoryChannel.class, restrictToAnnotatedClass = true)
class VerifiedSnapshotConsumerIT {
    /** The consumer's channel fed from the test instead of Kafka. */
    public static class InMemoryChannel implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            // the channel is named by its topic, so its name has dots: quoted in the key
            return Map.of("mp.messaging.incoming.\"" + VerifiedSnapshotConsumer.CHANNEL + "\".connector", InMemoryConnector.CONNECTOR);
        }

        @Override
        public void stop() {
            InMemoryConnector.clear();
        }
    }

    /** What the consumer did with one record. */
    record Handled(CompletableFuture<Void> acked, CompletableFuture<Throwable> nacked) {
        static Handled create() {
            return new Handled(new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    @Inject
    @Any
    InMemoryConnector connector;
    @Inject
    ClusterRegistry registry;

    @Test
    void aRecordIsAcknowledgedWhenItsCopyIsDoneAndAPoisonRecordIsRejectedAtOnce() throws Exception {
        EtcdSnapshots.SnapshotFile file = EtcdSnapshots.withValue("v1");
        String waiting = clusterId("inmem-waits");
        PrimaryFixture.register(waiting, List.of(SECONDARY));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(waiting).isPresent());
        String waitingSnapshot = nextSnapshotId();
        uploadVerified(waiting, waitingSnapshot, file);

        S3Server secondary = LifeboatInfrastructure.servers().secondary();
        secondary.stop();
        Handled first;
        Handled poison = Handled.create();
        try {
            first = send(record(CloudEventCodec.encode(verified(waiting, waitingSnapshot, file), "test")));
            send(new ConsumerRecord<>(VerifiedSnapshotConsumer.CHANNEL, 0, 1, 0L, TimestampType.CREATE_TIME, 0, 3,
                    "x", "bad".getBytes(), new RecordHeaders(), Optional.empty()), poison);
            // rejected at once, although the record ahead of it still waits for its region
            assertThat(poison.nacked().get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            assertThat(poison.acked()).isNotDone();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !first.acked().isDone()
                    && !first.nacked().isDone());
        } finally {
            secondary.start();
        }
        first.acked().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first.nacked()).isNotDone();
        assertThat(store(SECONDARY).stat(SnapshotLayout.manifestKey(waiting, waitingSnapshot))).isPresent();
    }

    private Handled send(ConsumerRecord<String, byte[]> record) {
        Handled handled = Handled.create();
        send(record, handled);
        return handled;
    }

    private void send(ConsumerRecord<String, byte[]> record, Handled handled) {
        connector.<Message<byte[]>>source(VerifiedSnapshotConsumer.CHANNEL).send(Message.of(record.value(),
                Metadata.of(new IncomingKafkaRecordMetadata<>(record, VerifiedSnapshotConsumer.CHANNEL)),
                () -> {
                    handled.acked().complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                error -> {
                    handled.nacked().complete(error);
                    return CompletableFuture.completedFuture(null);
                }));
    }

    private static ConsumerRecord<String, byte[]> record(ProducerRecord<String, byte[]> produced) {
        return new ConsumerRecord<>(VerifiedSnapshotConsumer.CHANNEL, 0, 0, 0L, TimestampType.CREATE_TIME, 0,
                produced.value().length, produced.key(), produced.value(), produced.headers(), Optional.empty());
    }
}
