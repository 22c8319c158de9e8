package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Records written to the registry topic around the REST API, as anyone who may produce to Kafka
 * could: each bad one is reported (an INVALID_REGISTRATION failure event and a log line) and not
 * applied, and the good records around them still are. The registry topic has one partition, so
 * once a later good record is applied the bad ones before it have been read.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class RegistryRecordValidationIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer etcd;

    @Inject
    EventPublisher publisher;
    @Inject
    ClusterRegistry registry;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-registry-records-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    private ClusterSpec spec(String schedule, ClusterSpec.TlsFiles tls, List<String> endpoints) {
        return new ClusterSpec(endpoints, tls, schedule, null, null, null, Map.of("env", "test"));
    }

    @Test
    void badRecordsAreReportedAndNotAppliedAndGoodOnesStillAre() throws Exception {
        // a cluster registered the normal way, then overwritten by hand with a spec that names the host's files
        register("forged-over", plain(etcd.clientUrl()));
        ClusterSpec good = registry.get("forged-over").orElseThrow();
        try (TopicRecorder failures = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.FAILURES)) {
            Instant now = Instant.now();
            publisher.publish(new ClusterRegistered("forged-over", spec(null,
                    new ClusterSpec.TlsFiles("/etc/shadow", null, null), List.of(etcd.clientUrl())), now));
            publisher.publish(new ClusterRegistered("forged-cron", spec("61 * * * *", null, List.of(etcd.clientUrl())),
                    now));
            publisher.publish(new ClusterRegistered("forged-never", spec("0 0 31 2 *", null, List.of(etcd.clientUrl())),
                    now));
            publisher.publish(new ClusterRegistered("forged-endpoint", spec(null, null,
                    List.of("ftp://169.254.169.254:80/latest")), now));
            try (KafkaProducer<String, byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(Topics.CLUSTERS, "forged-garbage",
                        "not a cloud event".getBytes(StandardCharsets.UTF_8))).get();
            }
            publisher.publish(new ClusterRegistered("hand-written-good", spec("0 * * * *", null,
                    List.of(etcd.clientUrl())), now));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("hand-written-good").isPresent());
            assertThat(registry.get("forged-over")).as("the cluster keeps what it had").contains(good);
            assertThat(registry.get("forged-cron")).isEmpty();
            assertThat(registry.get("forged-never")).isEmpty();
            assertThat(registry.get("forged-endpoint")).isEmpty();
            assertThat(registry.get("forged-garbage")).isEmpty();
            asAdmin().get("/api/v1/clusters/forged-cron").then().statusCode(404);
            asAdmin().get("/api/v1/clusters/forged-over").then().statusCode(200)
                    .body("spec.tls", equalTo(null));

            for (String clusterId : List.of("forged-over", "forged-cron", "forged-never", "forged-endpoint",
                    "forged-garbage")) {
                ConsumerRecord<String, byte[]> r = failures.await(rec -> clusterId.equals(rec.key())
                        && EventTypes.BACKUP_FAILED.equals(CloudEventCodec.header(rec.headers(), "ce_type")),
                        EVENT_TIMEOUT);
                BackupFailed failure = CloudEventCodec.decode(r, BackupFailed.class);
                assertThat(failure.reason()).isEqualTo(FailureReason.INVALID_REGISTRATION);
                assertThat(failure.stage()).isEqualTo(Stage.REGISTRY);
                assertThat(failure.message()).doesNotContain("/etc/shadow");
            }
            assertThat(failures.drain(TopicRecorder.keyed("hand-written-good"), Duration.ZERO)).isEmpty();
        }
        String log = Files.readString(Path.of("target", "snapshot-service-test.log"));
        assertThat(log).contains("registry record for forged-cron at offset").contains("not applied: schedule");
        // one bad record stops no other cluster: the scheduler still plans the good one
        asAdmin().get("/api/v1/clusters/hand-written-good").then().statusCode(200);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LifeboatInfrastructure.servers().kafka().bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }
}
