package dev.lifeboat.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasSize;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeboat.common.snapshotfile.Sha256;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.testing.TokenMinter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Register a real etcd, snapshot it, and check the stored object with etcdctl as the oracle. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SnapshotEndToEndIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer etcd;

    @Inject
    Regions regions;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-e2e-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        etcd.etcdctl("put", "/registry/namespaces/kube-system", "ns");
        etcd.etcdctl("put", "/registry/configmaps/default/app", "{\"data\":1}");
        etcd.etcdctl("put", "/registry/configmaps/default/app", "{\"data\":2}");
        etcd.etcdctl("del", "/registry/configmaps/default/app");
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void aSnapshotIsStoredCompleteRestorableAndAnnounced() throws Exception {
        String clusterId = "e2e-plain";
        register(clusterId, plain(etcd.clientUrl()));
        JsonNode endpointStatus = EventJson.mapper().readTree(etcd.etcdctl("endpoint", "status", "-w", "json"));
        long revisionAtSnapshot = endpointStatus.get(0).get("Status").get("header").get("revision").asLong();

        try (TopicRecorder events = recorder()) {
            String snapshotId = takeSnapshot(clusterId);
            ConsumerRecord<String, byte[]> record = awaitEvent(events, clusterId, snapshotId, EventTypes.SNAPSHOT_TAKEN);

            // the event: topic, key, CloudEvent attributes and data
            assertThat(record.topic()).isEqualTo(Topics.SNAPSHOTS_TAKEN);
            assertThat(record.key()).isEqualTo(clusterId);
            assertThat(CloudEventCodec.header(record.headers(), "ce_source")).isEqualTo("snapshot-service");
            assertThat(CloudEventCodec.header(record.headers(), "ce_specversion")).isEqualTo("1.0");
            SnapshotTaken taken = CloudEventCodec.decode(record, SnapshotTaken.class);
            assertThat(taken.snapshotId()).isEqualTo(snapshotId);
            assertThat(taken.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
            assertThat(taken.objectKey()).isEqualTo(SnapshotLayout.objectKey(clusterId, snapshotId, SnapshotEncoding.IDENTITY));
            assertThat(taken.revision()).isEqualTo(revisionAtSnapshot);
            assertThat(taken.trigger()).isEqualTo("ON_DEMAND");

            // the stored object: sha256 equals the manifest, etcdctl accepts it, restore works
            Path file = dir.resolve(snapshotId + ".db");
            Sha256 sha;
            try (InputStream in = regions.primary().get(taken.objectKey());
                 java.io.OutputStream out = Files.newOutputStream(file)) {
                sha = Sha256.copy(in, out);
            }
            SnapshotManifest manifest = regions.primary().getJson(SnapshotLayout.manifestKey(clusterId, snapshotId),
                    SnapshotManifest.class);
            assertThat(sha.hex()).isEqualTo(manifest.sha256()).isEqualTo(taken.sha256());
            assertThat(Files.size(file)).isEqualTo(manifest.sizeBytes()).isEqualTo(taken.sizeBytes());
            assertThat(manifest.revision()).isEqualTo(revisionAtSnapshot);
            assertThat(manifest.format()).isEqualTo(SnapshotManifest.FORMAT);
            // etcd's own KV hash at that revision, as etcdctl reports it
            JsonNode hashKv = EventJson.mapper().readTree(etcd.etcdctl("endpoint", "hashkv", "--rev",
                    String.valueOf(revisionAtSnapshot), "-w", "json")).get(0).get("HashKV");
            assertThat(manifest.kvHash()).isNotNull();
            assertThat(manifest.kvHash().revision()).isEqualTo(revisionAtSnapshot);
            assertThat(manifest.kvHash().hash()).isEqualTo(hashKv.get("hash").asLong());
            assertThat(manifest.kvHash().compactRevision()).isEqualTo(hashKv.get("compact_revision").asLong());

            JsonNode status = EventJson.mapper().readTree(Commands.check(List.of(EtcdServer.etcdctlBinary(),
                    "snapshot", "status", file.toString(), "-w", "json")));
            assertThat(status.get("revision").asLong()).isEqualTo(revisionAtSnapshot);
            assertThat(status.get("totalSize").asLong()).isEqualTo(manifest.sizeBytes() - 32);

            Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "restore", file.toString(),
                    "--data-dir", dir.resolve("restored-" + snapshotId).toString()));
            assertThat(dir.resolve("restored-" + snapshotId).resolve("member")).isDirectory();

            // the catalog lists it from the manifest
            asAdmin().when().get("/api/v1/clusters/" + clusterId + "/snapshots")
                    .then().statusCode(200)
                    .body("$", hasSize(1))
                    .body("[0].snapshotId", equalTo(snapshotId))
                    .body("[0].sha256", equalTo(manifest.sha256()));
            asAdmin().when().get("/api/v1/clusters/" + clusterId + "/snapshots/" + snapshotId)
                    .then().statusCode(200).body("manifest.revision", equalTo((int) revisionAtSnapshot));
        }

        given().auth().oauth2(TokenMinter.metricsToken()).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lifeboat_snapshot_last_success_timestamp_seconds{cluster=\"" + clusterId + "\"}"))
                .body(containsString("lifeboat_snapshot_size_bytes_count{cluster=\"" + clusterId + "\"}"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'object-stores' }.data.primary", equalTo("reachable"))
                .body("checks.find { it.name == 'etcd-clusters' }.data.lastSnapshotOk", greaterThanOrEqualTo(1))
                .body(not(containsString(clusterId)));
    }

    @Test
    void theCatalogListsNewestFirstAndIgnoresIncompleteSnapshots() throws Exception {
        String clusterId = "e2e-catalog";
        register(clusterId, plain(etcd.clientUrl()));
        try (TopicRecorder events = recorder()) {
            String first = takeSnapshot(clusterId);
            awaitEvent(events, clusterId, first, EventTypes.SNAPSHOT_TAKEN);
            String second = takeSnapshot(clusterId);
            awaitEvent(events, clusterId, second, EventTypes.SNAPSHOT_TAKEN);
            // a leftover of an interrupted write: data without manifest, must stay invisible
            regions.primary().putJson("clusters/" + clusterId + "/29991231T235959Z-00000000/snapshot.db", "partial");
            asAdmin().when().get("/api/v1/clusters/" + clusterId + "/snapshots")
                    .then().statusCode(200)
                    .body("snapshotId", org.hamcrest.Matchers.contains(second, first));
        }
        assertThat(new String(regions.primary().get("clusters/" + clusterId + "/29991231T235959Z-00000000/snapshot.db")
                .readAllBytes(), StandardCharsets.UTF_8)).contains("partial");
    }
}
