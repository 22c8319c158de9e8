package dev.lifeboat.replicator;

import static dev.lifeboat.replicator.PrimaryFixture.clusterId;
import static dev.lifeboat.replicator.PrimaryFixture.nextSnapshotId;
import static dev.lifeboat.replicator.PrimaryFixture.publisher;
import static dev.lifeboat.replicator.PrimaryFixture.store;
import static dev.lifeboat.replicator.PrimaryFixture.uploadVerified;
import static dev.lifeboat.replicator.PrimaryFixture.verified;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.replicator.reconciliation.Reconciliation;
import dev.lifeboat.replicator.reconciliation.ReconciliationReport;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TokenMinter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class ReplicationIT {
    static final String SECONDARY = LifeboatInfrastructure.SECONDARY;
    static final String TERTIARY = ThirdRegion.NAME;
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    ClusterRegistry registry;

    @Inject
    Reconciliation reconciliation;

    @BeforeAll
    static void readEvents() {
        EventLog.start();
    }

    @Test
    void verifiedSnapshotArrivesInEverySecondaryCompleteCheckedAndManifestLast() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("happy");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);

        publisher().publish(verified(cluster, snapshot, file));

        for (String region : List.of(SECONDARY, TERTIARY)) {
            SnapshotReplicated event = awaitReplicated(cluster, snapshot, region);
            assertThat(event.sha256()).isEqualTo(file.sha256());
            assertThat(event.bytes()).isEqualTo(file.size());
            assertThat(event.sourceRegion()).isEqualTo(LifeboatInfrastructure.PRIMARY);

            ObjectStore copy = store(region);
            Map<String, StoredObject> objects = copy.list(SnapshotLayout.snapshotPrefix(cluster, snapshot)).stream()
                    .collect(Collectors.toMap(o -> o.key().substring(o.key().lastIndexOf('/') + 1), o -> o));
            assertThat(objects).containsOnlyKeys(SnapshotLayout.SNAPSHOT, SnapshotLayout.MANIFEST,
                    SnapshotLayout.VERIFICATION);
            try (InputStream in = copy.get(SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))) {
                assertThat(EtcdSnapshots.sha256(in)).isEqualTo(file.sha256());
            }
            assertThat(objects.get(SnapshotLayout.MANIFEST).lastModified())
                    .isAfterOrEqualTo(objects.get(SnapshotLayout.SNAPSHOT).lastModified())
                    .isAfterOrEqualTo(objects.get(SnapshotLayout.VERIFICATION).lastModified());
            // finer than the store's one-second timestamps: the files' own modification times
            assertThat(mtime(region, SnapshotLayout.manifestKey(cluster, snapshot)))
                    .isGreaterThan(mtime(region, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY)))
                    .isGreaterThan(mtime(region, SnapshotLayout.verificationKey(cluster, snapshot)));
            SnapshotManifest manifest = copy.getJson(SnapshotLayout.manifestKey(cluster, snapshot),
                    SnapshotManifest.class);
            assertThat(manifest.sha256()).isEqualTo(file.sha256());
        }
        assertThat(EventLog.failures(cluster)).isEmpty();
        // the primary is never a target
        assertThat(EventLog.replicated(cluster)).extracting(SnapshotReplicated::region)
                .doesNotContain(LifeboatInfrastructure.PRIMARY);
    }

    @Test
    void redeliveredEventCopiesNothingAgainAndRepeatsTheSameEvent() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("redeliver");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        publisher().publish(verified(cluster, snapshot, file));
        awaitReplicated(cluster, snapshot, SECONDARY);
        FileTime written = mtime(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY));
        FileTime manifestWritten = mtime(SECONDARY, SnapshotLayout.manifestKey(cluster, snapshot));

        publisher().publish(verified(cluster, snapshot, file));

        await().atMost(TIMEOUT).until(() -> EventLog.replicated(cluster, snapshot, SECONDARY).size() == 2);
        assertThat(mtime(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))).isEqualTo(written);
        assertThat(mtime(SECONDARY, SnapshotLayout.manifestKey(cluster, snapshot))).isEqualTo(manifestWritten);
        List<String> ids = EventLog.entries().stream()
                .filter(e -> e.event() instanceof SnapshotReplicated r && r.clusterId().equals(cluster)
                        && r.region().equals(SECONDARY))
                .map(EventLog.Entry::ceId).distinct().toList();
        assertThat(ids).containsExactly("replicated/" + cluster + "/" + snapshot + "/" + SECONDARY);
        assertThat(metrics()).contains("lifeboat_replicator_replications_total{outcome=\"already_present\",region=\""
                + SECONDARY + "\"}");
    }

    @Test
    void corruptedCopyIsDetectedOnRedeliveryAndRepaired() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("tamper");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        publisher().publish(verified(cluster, snapshot, file));
        awaitReplicated(cluster, snapshot, SECONDARY);

        Path stored = storedFile(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY));
        try (RandomAccessFile raf = new RandomAccessFile(stored.toFile(), "rw")) {
            raf.seek(file.size() / 2);
            raf.write("bit rot".getBytes(StandardCharsets.US_ASCII)); // same size, different bytes
        }
        assertThat(EtcdSnapshots.sha256(stored)).isNotEqualTo(file.sha256());

        publisher().publish(verified(cluster, snapshot, file));

        await().atMost(TIMEOUT).until(() -> EventLog.replicated(cluster, snapshot, SECONDARY).size() == 2);
        assertThat(EtcdSnapshots.sha256(storedFile(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))))
                .isEqualTo(file.sha256());
        assertThat(store(SECONDARY).stat(SnapshotLayout.manifestKey(cluster, snapshot))).isPresent();
        assertThat(metrics()).contains("lifeboat_replicator_replications_total{outcome=\"repaired\",region=\""
                + SECONDARY + "\"}");
    }

    @Test
    void truncatedCopyIsFoundByReconciliationAndRepaired() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("truncate");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        publisher().publish(verified(cluster, snapshot, file));
        awaitReplicated(cluster, snapshot, SECONDARY);
        awaitReplicated(cluster, snapshot, TERTIARY);

        Path stored = storedFile(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY));
        try (RandomAccessFile raf = new RandomAccessFile(stored.toFile(), "rw")) {
            raf.setLength(file.size() - 4096);
        }

        ReconciliationReport report = reconciliation.reconcile();

        assertThat(report.sourceReachable()).isTrue();
        assertThat(report.copied()).isGreaterThanOrEqualTo(1);
        assertThat(EtcdSnapshots.sha256(storedFile(SECONDARY, SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))))
                .isEqualTo(file.sha256());
        assertThat(EventLog.failures(cluster)).isEmpty();
        await().atMost(TIMEOUT).until(() -> EventLog.replicated(cluster, snapshot, SECONDARY).size() == 2);

        // a second run finds nothing left to do for this cluster
        reconciliation.reconcile();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> EventLog.replicated(cluster).size() == 3); // 2 regions + the repair
    }

    @Test
    void sourceDeletedBeforeCopyingIsReportedAsSourceMissing() {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("gone");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        store(LifeboatInfrastructure.PRIMARY).delete(SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY));

        publisher().publish(verified(cluster, snapshot, file));

        await().atMost(TIMEOUT).until(() -> EventLog.failures(cluster).size() == 2);
        assertThat(EventLog.failures(cluster)).allSatisfy(f -> {
            assertThat(f.stage()).isEqualTo(Stage.REPLICATE);
            assertThat(f.reason()).isEqualTo(FailureReason.SOURCE_MISSING);
            assertThat(f.snapshotId()).isEqualTo(snapshot);
            assertThat(f.attempt()).isEqualTo(1); // retrying cannot bring it back
        }).extracting(BackupFailed::region).containsExactlyInAnyOrder(SECONDARY, TERTIARY);
        assertThat(store(SECONDARY).list(SnapshotLayout.snapshotPrefix(cluster, snapshot))).isEmpty();
        assertThat(EventLog.replicated(cluster)).isEmpty();
    }

    @Test
    void replicateToIsFollowedAndAnUnknownRegionIsAFailureNotACrash() {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("targets");
        PrimaryFixture.register(cluster, List.of("mars", SECONDARY));
        await().atMost(TIMEOUT).until(() -> registry.get(cluster).isPresent());
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);

        publisher().publish(verified(cluster, snapshot, file));

        awaitReplicated(cluster, snapshot, SECONDARY);
        await().atMost(TIMEOUT).until(() -> !EventLog.failures(cluster).isEmpty());
        BackupFailed failure = EventLog.failures(cluster).get(0);
        assertThat(failure.reason()).isEqualTo(FailureReason.UNKNOWN_REGION);
        assertThat(failure.region()).isEqualTo("mars");
        assertThat(EventLog.replicated(cluster)).extracting(SnapshotReplicated::region).containsOnly(SECONDARY);
        assertThat(store(TERTIARY).list(SnapshotLayout.clusterPrefix(cluster))).isEmpty();
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndConsumptionContinues() throws Exception {
        String cluster = clusterId("poison");
        byte[] garbage = "{not a cloud event".getBytes(StandardCharsets.UTF_8);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                "bootstrap.servers", LifeboatInfrastructure.servers().kafka().bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SNAPSHOTS_VERIFIED, cluster, garbage)).get();
        }
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        publisher().publish(verified(cluster, snapshot, file));

        awaitReplicated(cluster, snapshot, SECONDARY);
        await().atMost(TIMEOUT).until(() -> EventLog.deadLetters().stream()
                .anyMatch(e -> new String(e.value(), StandardCharsets.UTF_8).equals("{not a cloud event")));
    }

    @Test
    void anEventWithAnInvalidIdGoesToTheDeadLetterTopicAtOnce() {
        String snapshot = nextSnapshotId();
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        publisher().publish(verified("Not_A_Label", snapshot, file));
        // at once: not after the copy's retries, and no failure event or copy for it
        await().atMost(Duration.ofSeconds(10)).until(() -> EventLog.deadLetters().stream()
                .anyMatch(e -> ("verified/Not_A_Label/" + snapshot).equals(e.ceId())));
        assertThat(EventLog.failures("Not_A_Label")).isEmpty();
    }

    @Test
    void healthAndMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200);
        String body = given().get("/q/health/ready").asString();
        assertThat(body).contains("object-stores").contains(SECONDARY).contains(TERTIARY);
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("metrics");
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, file);
        publisher().publish(verified(cluster, snapshot, file));
        awaitReplicated(cluster, snapshot, TERTIARY);
        assertThat(metrics())
                .contains("lifeboat_replicator_bytes_total{region=\"" + TERTIARY + "\"}")
                .contains("lifeboat_replicator_copy_duration_seconds_count{region=\"" + TERTIARY + "\"}")
                .contains("lifeboat_replicator_lag_seconds{cluster=\"" + cluster + "\",region=\"" + TERTIARY + "\"} 0.0");
    }

    static SnapshotReplicated awaitReplicated(String cluster, String snapshot, String region) {
        await().atMost(TIMEOUT).until(() -> !EventLog.replicated(cluster, snapshot, region).isEmpty());
        return EventLog.replicated(cluster, snapshot, region).get(0);
    }

    static String metrics() {
        return given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
    }

    /** Where the file-system backed S3 server keeps an object: one file per key under the bucket folder. */
    static Path storedFile(String region, String key) {
        Path data = ThirdRegion.NAME.equals(region) ? ThirdRegion.server().dataDir()
                : LifeboatInfrastructure.servers().s3(region).dataDir();
        return data.resolve(LifeboatInfrastructure.BUCKET).resolve(key);
    }

    static FileTime mtime(String region, String key) throws IOException {
        return Files.getLastModifiedTime(storedFile(region, key));
    }
}
