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
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.replicator.EtcdSnapshots;
import dev.lifeboat.replicator.PrimaryFixture;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.InMemoryChannel;
import dev.lifeboat.testing.InMemoryChannel.Delivery;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;

/**
 * The consumer's handling of a record, through the in-memory connector on its own channel
 * ({@link VerifiedSnapshotConsumer#CHANNEL}), with real stores and registry: a record is
 * acknowledged once its copy is complete, a record waiting for a region that is down is not
 * acknowledged (and holds up no record after it), and a poison record is rejected at once. Runs
 * in the failsafe execution {@code in-memory-channel} (see {@link InMemoryChannel}).
 */
@Tag(InMemoryChannel.TAG)
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(value = InMemoryChannel.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = InMemoryChannel.CHANNEL, value = VerifiedSnapshotConsumer.CHANNEL))
class VerifiedSnapshotConsumerIT {
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
        Delivery first;
        try {
            first = send(InMemoryChannel.record(VerifiedSnapshotConsumer.CHANNEL, 0,
                    CloudEventCodec.encode(verified(waiting, waitingSnapshot, file), "test")));
            Delivery poison = send(InMemoryChannel.poison(VerifiedSnapshotConsumer.CHANNEL, 1, "x"));
            // rejected at once, although the record ahead of it still waits for its region
            assertThat(poison.nacked().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(poison.acked()).isNotDone();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !first.acked().isDone()
                    && !first.nacked().isDone());
        } finally {
            secondary.start();
        }
        first.acked().get(60, TimeUnit.SECONDS);
        assertThat(first.nacked()).isNotDone();
        assertThat(store(SECONDARY).stat(SnapshotLayout.manifestKey(waiting, waitingSnapshot))).isPresent();
    }

    private Delivery send(ConsumerRecord<String, byte[]> record) {
        return InMemoryChannel.send(connector.<Message<byte[]>>source(VerifiedSnapshotConsumer.CHANNEL)::send,
                record.value(), Metadata.of(new IncomingKafkaRecordMetadata<>(record, VerifiedSnapshotConsumer.CHANNEL)));
    }
}
