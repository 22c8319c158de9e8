package dev.lifeboat.replicator;

import static dev.lifeboat.replicator.PrimaryFixture.clusterId;
import static dev.lifeboat.replicator.PrimaryFixture.nextSnapshotId;
import static dev.lifeboat.replicator.PrimaryFixture.publisher;
import static dev.lifeboat.replicator.PrimaryFixture.store;
import static dev.lifeboat.replicator.PrimaryFixture.uploadVerified;
import static dev.lifeboat.replicator.PrimaryFixture.verified;
import static dev.lifeboat.replicator.ReplicationIT.SECONDARY;
import static dev.lifeboat.replicator.ReplicationIT.TERTIARY;
import static dev.lifeboat.replicator.ReplicationIT.awaitReplicated;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class RegionOutageIT {
    @Inject
    ClusterRegistry registry;

    @BeforeAll
    static void readEvents() {
        EventLog.start();
    }

    @Test
    void snapshotArrivesAfterTheRegionComesBackWhileOtherRegionsAndClustersCarryOn() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String affected = clusterId("outage-a");
        String other = clusterId("outage-b");
        PrimaryFixture.register(other, List.of(TERTIARY));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(other).isPresent());
        String snapshot = nextSnapshotId();
        String otherSnapshot = nextSnapshotId();
        uploadVerified(affected, snapshot, file);
        uploadVerified(other, otherSnapshot, file);

        S3Server secondary = LifeboatInfrastructure.servers().secondary();
        secondary.stop();
        try {
            publisher().publish(verified(affected, snapshot, file));
            publisher().publish(verified(other, otherSnapshot, file));

            // the other region, and another cluster, do not wait for the one that is down
            awaitReplicated(affected, snapshot, TERTIARY);
            awaitReplicated(other, otherSnapshot, TERTIARY);
            assertThat(EventLog.replicated(affected, snapshot, SECONDARY)).isEmpty();
            // a secondary outage is ridden out: still ready (lifeboat.health.regions=primary), the region reported
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'object-stores' }.data." + SECONDARY, equalTo("unreachable"));

            // while it stays down the copy is retried: nothing claimed done, nothing given up
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> EventLog.replicated(affected, snapshot, SECONDARY).isEmpty()
                            && EventLog.failures(affected).isEmpty());
        } finally {
            secondary.start();
        }

        // from the moment it is back, a manifest is never visible beside an incomplete snapshot
        ObjectStore copy = store(SECONDARY);
        List<String> violations = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<StoredObject> objects;
            try {
                objects = copy.list(SnapshotLayout.snapshotPrefix(affected, snapshot));
            } catch (StoreException starting) {
                return false;
            }
            boolean manifest = objects.stream().anyMatch(o -> o.key().endsWith(SnapshotLayout.MANIFEST));
            if (manifest && objects.stream().noneMatch(o -> o.key().endsWith(SnapshotLayout.SNAPSHOT)
                    && o.size() == file.size())) {
                violations.add(objects.toString());
            }
            return manifest;
        });
        assertThat(violations).isEmpty();
        try (InputStream in = copy.get(SnapshotLayout.objectKey(affected, snapshot, SnapshotEncoding.IDENTITY))) {
            assertThat(EtcdSnapshots.sha256(in)).isEqualTo(file.sha256());
        }
        assertThat(awaitReplicated(affected, snapshot, SECONDARY).sha256()).isEqualTo(file.sha256());

        // one event per (snapshot, region), one copy of each object, no failure
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> EventLog.replicated(affected, snapshot, SECONDARY).size() == 1
                        && EventLog.replicated(affected, snapshot, TERTIARY).size() == 1);
        assertThat(copy.list(SnapshotLayout.clusterPrefix(affected))).extracting(StoredObject::key)
                .containsExactlyInAnyOrder(SnapshotLayout.objectKey(affected, snapshot, SnapshotEncoding.IDENTITY),
                        SnapshotLayout.verificationKey(affected, snapshot),
                        SnapshotLayout.manifestKey(affected, snapshot));
        assertThat(EventLog.failures(affected)).isEmpty();
        assertThat(EventLog.failures(other)).isEmpty();
        assertThat(EventLog.replicated(other)).extracting(SnapshotReplicated::region).containsExactly(TERTIARY);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * More events waiting for a region that is down than the consumer once had workers (16): an
     * event for a healthy region is still copied at once, because a waiting record holds no thread.
     */
    @Test
    void eventsWaitingForARegionThatIsDownHoldNoWorkerOfAHealthyRegion() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String held = clusterId("held");
        String free = clusterId("free");
        PrimaryFixture.register(held, List.of(SECONDARY));
        PrimaryFixture.register(free, List.of(TERTIARY));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(held).isPresent() && registry.get(free).isPresent());
        List<String> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = nextSnapshotId();
            uploadVerified(held, id, file);
            waiting.add(id);
        }
        String freeSnapshot = nextSnapshotId();
        uploadVerified(free, freeSnapshot, file);

        S3Server secondary = LifeboatInfrastructure.servers().secondary();
        secondary.stop();
        try {
            for (String id : waiting) {
                publisher().publish(verified(held, id, file));
            }
            publisher().publish(verified(free, freeSnapshot, file));
            // well within the retry budget (40 s in tests) of the records ahead of it
            await().atMost(Duration.ofSeconds(15)).until(() -> !EventLog.replicated(free, freeSnapshot, TERTIARY).isEmpty());
            assertThat(EventLog.failures(held)).as("nothing given up while the region is down").isEmpty();
            assertThat(EventLog.replicated(held)).isEmpty();
        } finally {
            secondary.start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> EventLog.replicated(held).size() == waiting.size());
        assertThat(EventLog.replicated(held)).extracting(SnapshotReplicated::snapshotId)
                .containsExactlyInAnyOrderElementsOf(waiting);
        assertThat(EventLog.failures(held)).isEmpty();
    }

    @Test
    void copyInterruptedByAnOutageIsRetriedToACompleteCopy() throws IOException {
        SnapshotFile blob = EtcdSnapshots.randomBlob(96); // six upload parts: long enough to stop it midway
        String cluster = clusterId("midway");
        PrimaryFixture.register(cluster, List.of(SECONDARY));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(cluster).isPresent());
        String snapshot = nextSnapshotId();
        uploadVerified(cluster, snapshot, blob);

        S3Server secondary = LifeboatInfrastructure.servers().secondary();
        try {
            publisher().publish(verified(cluster, snapshot, blob));
            // the file-system store keeps the parts of an upload in progress as ".mpus-<id>-<key>-<part>"
            Path bucket = secondary.dataDir().resolve(LifeboatInfrastructure.BUCKET);
            String partOne = snapshot + "/" + SnapshotLayout.SNAPSHOT + "-1";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                try (Stream<Path> entries = Files.walk(bucket)) {
                    return entries.map(p -> bucket.relativize(p).toString())
                            .anyMatch(p -> p.startsWith(".mpus-") && p.endsWith(partOne));
                } catch (java.io.UncheckedIOException concurrentlyChanged) {
                    return false;
                }
            });
            assertThat(ReplicationIT.metrics())
                    .contains("lifeboat_replicator_copies_in_progress{region=\"" + SECONDARY + "\"} 1.0");
            secondary.stop(); // in the middle of the upload
            assertThat(EventLog.replicated(cluster)).isEmpty();
        } finally {
            secondary.start();
        }
        assertThat(store(SECONDARY).stat(SnapshotLayout.manifestKey(cluster, snapshot))
                .map(m -> store(SECONDARY).stat(SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))
                        .map(StoredObject::size).orElse(-1L))
                .orElse(blob.size())).isEqualTo(blob.size()); // never a manifest beside a partial object

        SnapshotReplicated event = awaitReplicated(cluster, snapshot, SECONDARY);
        assertThat(event.sha256()).isEqualTo(blob.sha256());
        try (InputStream in = store(SECONDARY).get(SnapshotLayout.objectKey(cluster, snapshot, SnapshotEncoding.IDENTITY))) {
            assertThat(EtcdSnapshots.sha256(in)).isEqualTo(blob.sha256());
        }
        assertThat(EventLog.failures(cluster)).isEmpty();
        assertThat(store(SECONDARY).list(SnapshotLayout.clusterPrefix(cluster))).hasSize(3);
    }
}
