package dev.lifeboat.verifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.VerificationDocuments;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.InMemoryChannel;
import dev.lifeboat.testing.InMemoryChannel.Delivery;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.verifier.SnapshotFixtures;
import dev.lifeboat.verifier.verification.StoredSnapshots;

/**
 * The consumer's handling, through the in-memory connector on its own channel
 * ({@link SnapshotTakenConsumer#CHANNEL}) with the real stores: a taken event is acknowledged only
 * once its verdict is in the store (verified: the status {@code etcdctl} reports; a snapshot whose
 * object is gone: SOURCE_MISSING); a record that is not a CloudEvent is rejected (nacked, so the
 * Kafka channel parks it on its dead-letter topic). Runs in the failsafe execution
 * {@code in-memory-channel} (see {@link InMemoryChannel}).
 */
@Tag(InMemoryChannel.TAG)
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(value = InMemoryChannel.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = InMemoryChannel.CHANNEL, value = SnapshotTakenConsumer.CHANNEL))
class SnapshotTakenHandlingIT {
    private static final long VERDICT_SECONDS = 90;

    static Path dir;
    static Path snapshot;

    @Inject
    @Any
    InMemoryConnector connector;
    @Inject
    Regions regions;

    @BeforeAll
    static void aSnapshotOfARealEtcd() throws Exception {
        dir = Files.createTempDirectory("verifier-handling-");
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
            etcd.etcdctl("put", "/registry/namespaces/default", "ns");
            etcd.etcdctl("put", "/registry/configmaps/default/one", "value");
            snapshot = SnapshotFixtures.save(etcd, dir.resolve("snapshot.db"));
        }
    }

    @AfterAll
    static void removeFiles() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aTakenEventIsAcknowledgedOnceItsVerdictIsStoredAndAPoisonRecordIsRejected() throws Exception {
        ObjectStore primary = regions.primary();
        String clusterId = "handling-" + UUID.randomUUID().toString().substring(0, 8);
        String good = SnapshotIds.newSnapshotId(Instant.now().minusSeconds(120));
        String absent = SnapshotIds.newSnapshotId(Instant.now().minusSeconds(60));
        SnapshotTaken taken = StoredSnapshots.upload(primary, clusterId, good, snapshot, Files.size(snapshot),
                SnapshotFixtures.sha256(snapshot));

        Delivery verified = send(InMemoryChannel.record(SnapshotTakenConsumer.CHANNEL, 0,
                CloudEventCodec.encode(taken, "test")));
        verified.acked().get(VERDICT_SECONDS, TimeUnit.SECONDS);
        assertThat(verified.nacked()).isNotDone();
        SnapshotVerified recorded = VerificationDocuments.read(primary, clusterId, good).orElseThrow();
        JsonNode etcdctl = SnapshotFixtures.status(snapshot);
        assertThat(recorded.status()).isEqualTo(new SnapshotVerified.Status(etcdctl.get("hash").asLong(),
                etcdctl.get("revision").asLong(), etcdctl.get("totalKey").asLong(), etcdctl.get("totalSize").asLong()));
        assertThat(recorded.sha256()).isEqualTo(SnapshotFixtures.sha256(snapshot));

        // its manifest is there, its snapshot object is gone: a failed verdict, recorded, then acknowledged
        SnapshotTaken deleted = StoredSnapshots.upload(primary, clusterId, absent, snapshot, Files.size(snapshot),
                SnapshotFixtures.sha256(snapshot));
        primary.delete(deleted.objectKey());
        Delivery missing = send(InMemoryChannel.record(SnapshotTakenConsumer.CHANNEL, 1,
                CloudEventCodec.encode(deleted, "test")));
        missing.acked().get(VERDICT_SECONDS, TimeUnit.SECONDS);
        BackupFailed failure = VerificationDocuments.readFailure(primary, clusterId, absent).orElseThrow();
        assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_MISSING);
        assertThat(primary.stat(SnapshotLayout.verificationKey(clusterId, absent))).isEmpty();

        Delivery poison = send(InMemoryChannel.poison(SnapshotTakenConsumer.CHANNEL, 2, clusterId));
        assertThat(poison.nacked().get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(poison.acked()).isNotDone();
    }

    private Delivery send(ConsumerRecord<String, byte[]> record) {
        return InMemoryChannel.send(connector.<Message<ConsumerRecord<String, byte[]>>>source(SnapshotTakenConsumer.CHANNEL)::send,
                record, Metadata.empty());
    }
}
