package dev.lifeboat.retention.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.InMemoryChannel;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TokenMinter;

/**
 * The consumer's handling, through the in-memory connector on its own channel
 * ({@link SnapshotEventsConsumer#TAKEN}) with the real registry and stores: a taken event leads to
 * a retention run of its cluster and is acknowledged; a record that is not a CloudEvent is
 * rejected (nacked, so the Kafka channel sends it to its dead-letter topic). Runs in the failsafe
 * execution {@code in-memory-channel} (see {@link InMemoryChannel}).
 */
@Tag(InMemoryChannel.TAG)
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(value = InMemoryChannel.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = InMemoryChannel.CHANNEL, value = SnapshotEventsConsumer.TAKEN))
class SnapshotEventsHandlingIT {
    @Inject
    @Any
    InMemoryConnector connector;
    @Inject
    ClusterRegistry registry;
    @Inject
    EventPublisher publisher;
    @Inject
    Regions regions;

    @Test
    void aTakenEventRunsRetentionForItsClusterAndAPoisonRecordIsRejected() throws Exception {
        String clusterId = "handling-" + Long.toString(System.nanoTime() % 100_000, 36);
        publisher.publish(new ClusterRegistered(clusterId, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                "0 * * * *", null, List.of(), null, Map.of()), Instant.now().minus(Duration.ofDays(1))));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(clusterId).isPresent());
        Instant at = Instant.now().minus(Duration.ofHours(1));
        String snapshotId = SnapshotIds.newSnapshotId(at);
        SyntheticSnapshots.write(new SyntheticSnapshots.Written(regions.get(LifeboatInfrastructure.PRIMARY), clusterId,
                snapshotId, at, true, false));

        ProducerRecord<String, byte[]> taken = CloudEventCodec.encode(new SnapshotTaken(clusterId, snapshotId,
                LifeboatInfrastructure.PRIMARY, "clusters/" + clusterId + "/" + snapshotId + "/snapshot.db", 1,
                "0".repeat(64), 1, "8e9e05c52164694d", "3.4.23", "SCHEDULED", at, 1), "test");
        send(InMemoryChannel.record(SnapshotEventsConsumer.TAKEN, 0, taken)).acked().get(30, TimeUnit.SECONDS);
        // the debounced run planned the cluster in the primary: its kept gauge is exported
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").asString().contains(
                "lifeboat_retention_snapshots_kept{cluster=\"" + clusterId + "\",region=\"primary\"} 1.0"));

        InMemoryChannel.Delivery poison = send(InMemoryChannel.poison(SnapshotEventsConsumer.TAKEN, 1, clusterId));
        assertThat(poison.nacked().get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(poison.acked()).isNotDone();
    }

    private InMemoryChannel.Delivery send(ConsumerRecord<String, byte[]> record) {
        return InMemoryChannel.send(connector.<Message<ConsumerRecord<String, byte[]>>>source(SnapshotEventsConsumer.TAKEN)::send,
                record, Metadata.empty());
    }
}
