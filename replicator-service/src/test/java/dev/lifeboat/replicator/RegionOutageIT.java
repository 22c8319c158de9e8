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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.ClusterRegistryReader;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.store.ObjectStore;
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
    ClusterRegistryReader registry;

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
            given().get("/q/health/ready").then().statusCode(503);

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
        try (InputStream in = copy.get(SnapshotLayout.snapshotKey(affected, snapshot))) {
            assertThat(EtcdSnapshots.sha256(in)).isEqualTo(file.sha256());
        }
        assertThat(awaitReplicated(affected, snapshot, SECONDARY).sha256()).isEqualTo(file.sha256());

        // one event per (snapshot, region), one copy of each object, no failure
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> EventLog.replicated(affected, snapshot, SECONDARY).size() == 1
                        && EventLog.replicated(affected, snapshot, TERTIARY).size() == 1);
        assertThat(copy.list(SnapshotLayout.clusterPrefix(affected))).extracting(StoredObject::key)
                .containsExactlyInAnyOrder(SnapshotLayout.snapshotKey(affected, snapshot),
                        SnapshotLayout.verificationKey(affected, snapshot),
                        SnapshotLayout.manifestKey(affected, snapshot));
        assertThat(EventLog.failures(affected)).isEmpty();
        assertThat(EventLog.failures(other)).isEmpty();
        assertThat(EventLog.replicated(other)).extracting(SnapshotReplicated::region).containsExactly(TERTIARY);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
