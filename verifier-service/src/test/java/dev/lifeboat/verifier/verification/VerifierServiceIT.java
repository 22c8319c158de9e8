package dev.lifeboat.verifier.verification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.verifier.SnapshotFixtures;
import dev.lifeboat.verifier.catchup.CatchUpSweep;
import dev.lifeboat.verifier.drill.DrillSetup;
import dev.lifeboat.testing.store.StoreFixtures;
import dev.lifeboat.store.SnapshotManifest;

/**
 * The whole service against real Kafka, real S3 and real etcd: snapshots of a real etcd are put
 * into the store the way snapshot-service does, announced on {@code lifeboat.snapshots.taken},
 * and the verdicts read back from Kafka and the store. {@code etcdctl} is the oracle.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class VerifierServiceIT {
    private static final Duration VERDICT = Duration.ofSeconds(90);
    private static final AtomicLong CLOCK = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());

    static Path dir;
    static EtcdServer etcd;
    /** A small Kubernetes-like cluster with a compaction: 30 live keys. */
    static Path cluster;
    static long compactRevision;
    static long clusterRevision;
    /** The same cluster after most keys were deleted. */
    static Path shrunk;

    @Inject
    EventPublisher publisher;
    @Inject
    Regions regions;
    @Inject
    DrillSetup drillSetup;
    @Inject
    CatchUpSweep catchUp;

    @BeforeAll
    static void snapshotsOfARealEtcd() throws IOException {
        dir = Files.createTempDirectory("verifier-it-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        etcd.etcdctl("put", "/registry/namespaces/kube-system", "ns");
        etcd.etcdctl("put", "/registry/namespaces/default", "ns");
        for (int i = 0; i < 28; i++) {
            etcd.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
        }
        etcd.etcdctl("put", "/registry/configmaps/default/cm-3", "changed");
        etcd.etcdctl("put", "/registry/configmaps/default/gone", "soon deleted");
        etcd.etcdctl("del", "/registry/configmaps/default/gone");
        clusterRevision = SnapshotFixtures.served(etcd).revision();
        compactRevision = clusterRevision - 1;
        etcd.etcdctl("compact", String.valueOf(compactRevision));
        cluster = SnapshotFixtures.save(etcd, dir.resolve("cluster.db"));
        etcd.etcdctl("del", "/registry/configmaps/", "--prefix");
        etcd.etcdctl("del", "/registry/namespaces/kube-system");
        shrunk = SnapshotFixtures.save(etcd, dir.resolve("shrunk.db"));
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void aGoodSnapshotIsVerifiedWithEtcdctlEqualStatusAndARealDrill() throws Exception {
        String clusterId = newClusterId("good");
        String snapshotId = nextSnapshotId();
        SnapshotTaken taken = upload(clusterId, snapshotId, cluster);

        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED)) {
            publisher.publish(taken);
            SnapshotVerified event = decode(verified.await(TopicRecorder.keyed(clusterId), VERDICT), SnapshotVerified.class);

            JsonNode etcdctl = SnapshotFixtures.status(cluster);
            assertThat(event.status()).isEqualTo(new SnapshotVerified.Status(etcdctl.get("hash").asLong(),
                    etcdctl.get("revision").asLong(), etcdctl.get("totalKey").asLong(), etcdctl.get("totalSize").asLong()));
            assertThat(event.sha256()).isEqualTo(SnapshotFixtures.sha256(cluster));
            assertThat(event.liveKeys()).isEqualTo(30);
            assertThat(event.compactRevision()).isEqualTo(compactRevision);
            assertThat(event.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
            assertThat(event.drill().revision()).isEqualTo(clusterRevision);
            assertThat(event.drill().liveKeys()).isEqualTo(30);
            assertThat(event.drill().sampledKeys()).isPositive();
            assertThat(event.drill().restoreMillis()).isPositive();
            assertThat(event.drill().startMillis()).isPositive();
            assertThat(event.drill().rtoMillis()).isGreaterThanOrEqualTo(event.drill().firstReadMillis());

            SnapshotVerified stored = primary().getJson(SnapshotLayout.verificationKey(clusterId, snapshotId),
                    SnapshotVerified.class);
            assertThat(stored).isEqualTo(event);
            assertNoScratchLeft();
        }
    }

    @Test
    void redeliveriesRepublishTheSameVerdictWithoutASecondDrill() throws Exception {
        String clusterId = newClusterId("redelivered");
        SnapshotTaken taken = upload(clusterId, nextSnapshotId(), cluster);

        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED);
             TopicRecorder failures = recorder(Topics.FAILURES)) {
            // two deliveries at once: the second finds the first in flight and adds nothing
            publisher.publish(taken);
            publisher.publish(taken);
            verified.await(TopicRecorder.keyed(clusterId), VERDICT);
            // a late redelivery is answered from verification.json
            publisher.publish(taken);
            List<ConsumerRecord<String, byte[]>> records = verified.awaitCount(TopicRecorder.keyed(clusterId), 2, VERDICT);

            List<SnapshotVerified> events = records.stream().map(r -> decode(r, SnapshotVerified.class)).toList();
            assertThat(events).allSatisfy(e -> assertThat(e).isEqualTo(events.get(0)));
            assertThat(records).allSatisfy(r -> assertThat(CloudEventCodec.header(r.headers(), "ce_id"))
                    .isEqualTo(events.get(0).eventId()));
            assertThat(failures.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(2))).isEmpty();
            assertNoScratchLeft();
        }
    }

    @Test
    void aSnapshotThatIsNotInTheStoreIsASourceMissingFailure() throws Exception {
        String clusterId = newClusterId("missing");
        String withoutObject = nextSnapshotId();
        primary().putJson(SnapshotLayout.manifestKey(clusterId, withoutObject), "manifest without snapshot");

        try (TopicRecorder failures = recorder(Topics.FAILURES)) {
            publisher.publish(StoredSnapshots.event(primary(), clusterId, nextSnapshotId(), 20512, "00"));
            BackupFailed failure = decode(failures.await(TopicRecorder.keyed(clusterId), VERDICT), BackupFailed.class);
            assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_MISSING);
            assertThat(failure.stage()).isEqualTo(Stage.VERIFY);
            assertThat(failure.message()).contains("manifest.json");
        }
    }

    @Test
    void aStoreOutageHoldsTheRecordUntilTheStoreIsBackThenGivesExactlyOneVerdict() throws Exception {
        String clusterId = newClusterId("outage");
        SnapshotTaken taken = upload(clusterId, nextSnapshotId(), cluster);
        S3Server s3 = LifeboatInfrastructure.servers().primary();
        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED);
             TopicRecorder failures = recorder(Topics.FAILURES)) {
            s3.stop();
            try {
                publisher.publish(taken);
                // the verification met the outage and waits, visibly, with its record unacknowledged
                await().atMost(VERDICT).until(() -> storeWaitingGauge() >= 1);
            } finally {
                s3.start();
            }
            verified.await(TopicRecorder.keyed(clusterId), VERDICT);
            await().atMost(VERDICT).until(() -> storeWaitingGauge() == 0);
            assertThat(verified.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(3))).hasSize(1);
            assertThat(failures.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(1)))
                    .as("no STORE_UNAVAILABLE or other failure for a snapshot that verified").isEmpty();
            assertThat(primary().stat(SnapshotLayout.verificationKey(clusterId, taken.snapshotId()))).isPresent();
        }
    }

    @Test
    void aCompleteSnapshotWhoseEventWasNeverPublishedIsVerifiedByTheCatchUpSweep() throws Exception {
        String clusterId = newClusterId("unannounced");
        String snapshotId = nextSnapshotId();
        SnapshotManifest manifest = StoreFixtures.manifest(clusterId, snapshotId)
                .producedBy("verifier tests").storedAsIs(Files.size(cluster), SnapshotFixtures.sha256(cluster)).build();
        // what a crash (or Kafka down) right after the manifest leaves: complete, never announced
        StoreFixtures.writeComplete(primary(), manifest, cluster);

        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED);
             TopicRecorder announced = recorder(Topics.SNAPSHOTS_TAKEN)) {
            // within the grace period it is left alone: the announcement may still be on its way
            catchUp.sweep(Instant.now());
            assertThat(primary().stat(SnapshotLayout.verificationKey(clusterId, snapshotId))).isEmpty();
            // once the grace has passed (as of an hour later) the sweep verifies it
            Instant later = Instant.now().plus(Duration.ofHours(1));
            await().atMost(VERDICT).until(() -> {
                catchUp.sweep(later);
                return primary().stat(SnapshotLayout.verificationKey(clusterId, snapshotId)).isPresent();
            });
            SnapshotVerified event = decode(verified.await(TopicRecorder.keyed(clusterId), VERDICT), SnapshotVerified.class);
            assertThat(event.snapshotId()).isEqualTo(snapshotId);
            assertThat(event.status().revision()).isEqualTo(SnapshotFixtures.status(cluster).get("revision").asLong());
            assertThat(announced.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(1))).isEmpty();

            // verified now: the next sweeps leave it alone, no second verdict
            catchUp.sweep(later);
            assertThat(verified.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(2))).hasSize(1);
        }
    }

    @Test
    void aFailedVerdictIsRecordedAndARedeliveryRepublishesItWithoutDecidingAgain() throws Exception {
        String clusterId = newClusterId("failed-again");
        SnapshotTaken taken = uploadWithAFlippedByte(clusterId);
        try (TopicRecorder failures = recorder(Topics.FAILURES)) {
            publisher.publish(taken);
            BackupFailed first = decode(failures.await(TopicRecorder.keyed(clusterId), VERDICT), BackupFailed.class);
            BackupFailed recorded = primary().getJson(SnapshotLayout.verificationFailedKey(clusterId, taken.snapshotId()),
                    BackupFailed.class);
            assertThat(recorded).isEqualTo(first);

            // even if the object were repaired now, the recorded verdict stands: no contradicting verdict
            StoreFixtures.writeObject(primary(), StoreFixtures.manifest(clusterId, taken.snapshotId()).build(), cluster);
            publisher.publish(taken);
            List<ConsumerRecord<String, byte[]>> both = failures.awaitCount(TopicRecorder.keyed(clusterId), 2, VERDICT);
            assertThat(both).extracting(r -> decode(r, BackupFailed.class)).containsOnly(first);
            assertThat(primary().stat(SnapshotLayout.verificationKey(clusterId, taken.snapshotId()))).isEmpty();
        }
    }

    @Test
    void aPoisonRecordIsParkedAndTheNextEventStillHandled() throws Exception {
        String clusterId = newClusterId("poison");
        try (TopicRecorder dlq = recorder(Topics.deadLetter(Topics.SNAPSHOTS_TAKEN));
             TopicRecorder failures = recorder(Topics.FAILURES);
             KafkaProducer<String, byte[]> raw = rawProducer()) {
            ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.SNAPSHOTS_TAKEN, clusterId,
                    "{not a cloud event".getBytes(StandardCharsets.UTF_8));
            raw.send(poison).get();
            ConsumerRecord<String, byte[]> parked = dlq.await(TopicRecorder.keyed(clusterId), VERDICT);
            assertThat(new String(parked.value(), StandardCharsets.UTF_8)).isEqualTo("{not a cloud event");
            assertThat(CloudEventCodec.header(parked.headers(), "dead-letter-reason")).contains("CloudEvents");

            publisher.publish(StoredSnapshots.event(primary(), clusterId, nextSnapshotId(), 20512, "00"));
            BackupFailed next = decode(failures.await(TopicRecorder.keyed(clusterId), VERDICT), BackupFailed.class);
            assertThat(next.reason()).isEqualTo(FailureReason.SOURCE_MISSING);
        }
    }

    @Test
    void aFlippedByteInTheObjectIsAHashMismatch() throws Exception {
        SnapshotTaken taken = uploadWithAFlippedByte(newClusterId("flipped"));

        assertThat(failureOf(taken).reason()).isEqualTo(FailureReason.HASH_MISMATCH);
    }

    @Test
    void aShortenedObjectIsTruncated() throws Exception {
        String clusterId = newClusterId("short");
        Path shortened = dir.resolve(clusterId + ".db");
        Files.write(shortened, Arrays.copyOf(Files.readAllBytes(cluster), 8192));
        SnapshotTaken taken = StoredSnapshots.upload(primary(), clusterId, nextSnapshotId(), shortened,
                Files.size(cluster), SnapshotFixtures.sha256(cluster));

        assertThat(failureOf(taken).reason()).isEqualTo(FailureReason.TRUNCATED);
    }

    @Test
    void aSnapshotWhoseRestoredEtcdDiffersFromItsStatusFailsTheDrill() throws Exception {
        // every checksum is right (trailer recomputed, manifest matches), the bbolt structure is
        // valid, etcdctl restores it; only the running etcd shows the difference: it starts at the
        // tampered compaction revision instead of the revision the status computes
        String clusterId = newClusterId("tampered");
        Path tampered = Files.copy(cluster, dir.resolve(clusterId + ".db"));
        SnapshotFixtures.tamperCompactRevision(tampered, compactRevision, clusterRevision + 1000);
        SnapshotTaken taken = upload(clusterId, nextSnapshotId(), tampered);

        BackupFailed failure = failureOf(taken);
        assertThat(failure.stage()).isEqualTo(Stage.RESTORE_TEST);
        assertThat(failure.reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertThat(failure.message()).contains("serves revision " + (clusterRevision + 1000));
        assertThat(primary().stat(SnapshotLayout.verificationKey(clusterId, taken.snapshotId()))).isEmpty();
        assertThat(primary().getJson(SnapshotLayout.verificationFailedKey(clusterId, taken.snapshotId()),
                BackupFailed.class).reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertNoScratchLeft();
    }

    @Test
    void tooFewKeysBreakAConfiguredExpectation() throws Exception {
        // cluster "strict" expects at least 1000 live keys (test profile)
        BackupFailed failure = failureOf(upload("strict", nextSnapshotId(), cluster));
        assertThat(failure.reason()).isEqualTo(FailureReason.CONTENT_EXPECTATION);
        assertThat(failure.message()).contains("30 live keys, expected at least 1000");
    }

    @Test
    void aMissingRequiredKeyBreaksAConfiguredExpectation() throws Exception {
        // cluster "needs-ns" requires /registry/namespaces/kube-system (test profile)
        BackupFailed failure = failureOf(upload("needs-ns", nextSnapshotId(), shrunk));
        assertThat(failure.reason()).isEqualTo(FailureReason.CONTENT_EXPECTATION);
        assertThat(failure.message()).contains("required key /registry/namespaces/kube-system is absent");
    }

    @Test
    void losingMostKeysSinceThePreviousVerifiedSnapshotBreaksAConfiguredExpectation() throws Exception {
        // cluster "shrinking" allows at most 10% of live keys lost (test profile)
        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED)) {
            publisher.publish(upload("shrinking", nextSnapshotId(), cluster));
            verified.await(TopicRecorder.keyed("shrinking"), VERDICT);
        }
        BackupFailed failure = failureOf(upload("shrinking", nextSnapshotId(), shrunk));
        assertThat(failure.reason()).isEqualTo(FailureReason.CONTENT_EXPECTATION);
        assertThat(failure.message()).contains("of live keys lost since the previous verified snapshot (30 -> 1)");
    }

    @Test
    void theVerificationIsServedOverRest() throws Exception {
        String clusterId = newClusterId("rest");
        String snapshotId = nextSnapshotId();
        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED)) {
            publisher.publish(upload(clusterId, snapshotId, cluster));
            verified.await(TopicRecorder.keyed(clusterId), VERDICT);
        }
        String path = "/api/v1/clusters/{c}/snapshots/{s}/verification";

        asViewer().get(path, clusterId, snapshotId).then().statusCode(200)
                .contentType("application/json")
                .body("snapshotId", equalTo(snapshotId))
                .body("liveKeys", equalTo(30));
        asViewer().get(path, clusterId, nextSnapshotId()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"));
        asViewer().get(path, "Not_A_Cluster", snapshotId).then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        asViewer().get(path, clusterId, "yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("snapshot id"));
    }

    @Test
    void metricsAndReadinessAreExposed() throws Exception {
        // at least one verdict of each kind, so every meter exists
        String clusterId = newClusterId("metrics");
        try (TopicRecorder verified = recorder(Topics.SNAPSHOTS_VERIFIED)) {
            publisher.publish(upload(clusterId, nextSnapshotId(), cluster));
            verified.await(TopicRecorder.keyed(clusterId), VERDICT);
        }
        failureOf(StoredSnapshots.event(primary(), clusterId, nextSnapshotId(), 20512, "00"));

        String metrics = given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("lifeboat_verifier_verification_duration_seconds_count{outcome=\"verified\"")
                .contains("lifeboat_verifier_drill_rto_seconds_count")
                .contains("lifeboat_verifier_failures_total{reason=\"SOURCE_MISSING\",stage=\"VERIFY\"}")
                .contains("lifeboat_verifier_store_waiting ")
                .doesNotContain("lifeboat_verifier_newest_verified_age_seconds");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'object-stores' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cluster-registry' }.status", equalTo("UP"));
    }

    private double storeWaitingGauge() {
        String metrics = given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("lifeboat_verifier_store_waiting "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst().orElse(-1);
    }

    private BackupFailed failureOf(SnapshotTaken taken) {
        try (TopicRecorder failures = recorder(Topics.FAILURES)) {
            publisher.publish(taken);
            return decode(failures.await(TopicRecorder.keyed(taken.clusterId()), VERDICT), BackupFailed.class);
        }
    }

    /** The cluster snapshot with one byte flipped, stored under a manifest of the intact one. */
    private SnapshotTaken uploadWithAFlippedByte(String clusterId) throws IOException {
        Path damaged = Files.copy(cluster, dir.resolve(clusterId + ".db"));
        SnapshotFixtures.flipByte(damaged, 4096 * 2 + 100);
        return StoredSnapshots.upload(primary(), clusterId, nextSnapshotId(), damaged, Files.size(cluster),
                SnapshotFixtures.sha256(cluster));
    }

    private SnapshotTaken upload(String clusterId, String snapshotId, Path file) throws IOException {
        return StoredSnapshots.upload(primary(), clusterId, snapshotId, file, Files.size(file),
                SnapshotFixtures.sha256(file));
    }

    private ObjectStore primary() {
        return regions.primary();
    }

    private void assertNoScratchLeft() throws IOException {
        Path work = drillSetup.workDir();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> drillSetup.liveDrills().count() == 0);
        for (String sub : List.of("drills", "downloads")) {
            Path d = work.resolve(sub);
            if (Files.exists(d)) {
                try (Stream<Path> left = Files.list(d)) {
                    assertThat(left).as("left in " + sub).isEmpty();
                }
            }
        }
        String marker = work.toAbsolutePath().toString();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.isAlive()
                && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))).isEmpty();
    }

    private static RequestSpecification asViewer() {
        return given().auth().oauth2(TokenMinter.viewerToken());
    }

    private static TopicRecorder recorder(String topic) {
        return new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(), topic);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LifeboatInfrastructure.servers().kafka().bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static <T> T decode(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return EventJson.mapper().readValue(record.value(), type);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String newClusterId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Snapshot ids that sort in the order the test makes them, as real ones sort by time. */
    private static String nextSnapshotId() {
        return SnapshotIds.newSnapshotId(Instant.ofEpochSecond(CLOCK.addAndGet(60)));
    }
}
