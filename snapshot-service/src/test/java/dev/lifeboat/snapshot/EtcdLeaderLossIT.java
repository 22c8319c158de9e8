package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeboat.common.snapshotfile.Sha256;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdCluster;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TopicRecorder;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The leader of a real three-member etcd misbehaving, with the service, Kafka and S3 real: a
 * leader that misses its status answer is still the source (no false NO_LEADER); a snapshot asked
 * for right after the leader died waits for the election and comes from the new leader (no false
 * NO_LEADER either); a leader killed
 * (SIGKILL) while its snapshot stream is held midway fails that snapshot with a reason and leaves
 * nothing in the store (no manifest, no object, the multipart upload aborted), and the next
 * snapshot comes complete from the new leader (checked with etcdctl on a restored copy); a
 * cluster that lost two of three members is NO_LEADER, saying what each member said.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@TestProfile(EtcdLeaderLossIT.HeldStreams.class)
class EtcdLeaderLossIT extends SnapshotServiceTestBase {
    /** A stream held while the test kills its leader must end by the kill, not by the stall timeout. */
    public static final class HeldStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lifeboat.snapshot.stall-timeout", "120s");
        }
    }

    private static final int FILL_KEYS = 400;
    static Path dir;

    @Inject
    Regions regions;

    @Inject
    SnapshotJobs runner;

    /** Each test starts (and stops) its own cluster under here. */
    @BeforeAll
    static void workDir() throws Exception {
        dir = Files.createTempDirectory("etcd-leader-loss-");
    }

    @Test
    void aLeaderThatMissesItsStatusAnswerIsStillTheSourceAndNothingFails() {
        String clusterId = "leader-slow-answer";
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve(clusterId));
             TopicRecorder events = recorder()) {
            EtcdCluster.MemberStatus leader = cluster.awaitLeader(Duration.ofSeconds(30));
            try (StallingProxy proxy = StallingProxy.to("127.0.0.1", leader.member().clientPort())) {
                proxy.stallNextConnections(1); // the probe's first connection to the leader gets no answer
                register(clusterId, spec(cluster, leader.member(), proxy));

                String snapshotId = takeSnapshot(clusterId);

                SnapshotTaken taken = CloudEventCodec.decode(
                        awaitEvent(events, clusterId, snapshotId, EventTypes.SNAPSHOT_TAKEN), SnapshotTaken.class);
                assertThat(taken.memberId()).isEqualTo(leader.memberIdHex());
                SnapshotManifest manifest = manifest(clusterId, snapshotId);
                assertThat(manifest.memberEndpoint()).isEqualTo(proxy.url());
                events.readToEnd();
                assertThat(events.events(BackupFailed.class, clusterId)).isEmpty();
            }
        }
    }

    @Test
    void aSnapshotAskedForDuringAnElectionWaitsForTheNewLeaderAndNothingFails() {
        String clusterId = "leader-election";
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve(clusterId));
             TopicRecorder events = recorder()) {
            register(clusterId, new ClusterSpec(cluster.clientUrls(), null, null, null, null, null, Map.of("env", "test")));
            EtcdServer old = cluster.leader();
            old.kill();

            // at once: the followers still name the dead leader (for one election timeout, 2 s here),
            // then none until their vote ends
            String snapshotId = takeSnapshot(clusterId);

            SnapshotTaken taken = CloudEventCodec.decode(
                    awaitEvent(events, clusterId, snapshotId, EventTypes.SNAPSHOT_TAKEN), SnapshotTaken.class);
            EtcdCluster.MemberStatus next = cluster.awaitLeader(Duration.ofSeconds(30));
            assertThat(next.member()).isNotSameAs(old);
            assertThat(taken.memberId()).isEqualTo(next.memberIdHex());
            assertThat(manifest(clusterId, snapshotId).memberEndpoint()).isEqualTo(next.member().clientUrl());
            events.readToEnd();
            assertThat(events.events(BackupFailed.class, clusterId)).isEmpty();
        }
    }

    @Test
    void aLeaderKilledMidStreamFailsThatSnapshotLeavingNothingAndTheNextComesFromTheNewLeader() throws Exception {
        String clusterId = "leader-killed-midstream";
        S3Server s3 = LifeboatInfrastructure.servers().primary();
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve(clusterId));
             TopicRecorder events = recorder()) {
            fill(cluster);
            EtcdCluster.MemberStatus leader = cluster.awaitLeader(Duration.ofSeconds(30));
            try (StallingProxy proxy = StallingProxy.to("127.0.0.1", leader.member().clientPort())) {
                proxy.stallAfter(256 * 1024); // status answers pass; the snapshot stream stops after 256 KiB
                register(clusterId, spec(cluster, leader.member(), proxy));

                String snapshotId = takeSnapshot(clusterId);
                String objectKey = SnapshotLayout.objectKey(clusterId, snapshotId, SnapshotEncoding.IDENTITY);
                // the upload begins with the stream; it is listed (the AWS CLI is slow) before the hold counts:
                // a hold much longer than gRPC's keep-alive (10 s + 5 s) would end as a silent member instead
                await("the multipart upload begun").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET).contains(objectKey));
                await("the stream held midway").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> proxy.heldConnections() > 0);
                assertThat(runner.running(clusterId)).as("snapshot still running").isPresent();

                leader.member().kill();
                proxy.resume(); // the connection goes on to the end of what the dead leader had sent

                BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
                assertThat(failed.reason()).isEqualTo(FailureReason.SNAPSHOT_STREAM_FAILED);
                assertThat(failed.message()).contains(proxy.url()).contains("broke after").doesNotContain("\tat ");
                // nothing half-visible: no manifest, no object, no upload left pending
                assertThat(regions.primary().list(SnapshotLayout.snapshotPrefix(clusterId, snapshotId))).isEmpty();
                assertThat(s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET)).doesNotContain(objectKey);
                asAdmin().when().get("/api/v1/clusters/" + clusterId + "/snapshots").then().statusCode(200)
                        .body("size()", equalTo(0));

                EtcdCluster.MemberStatus next = cluster.awaitLeader(Duration.ofSeconds(30));
                assertThat(next.member()).isNotSameAs(leader.member());
                long revision = EventJson.mapper().readTree(next.member().etcdctl("endpoint", "status", "-w", "json"))
                        .get(0).get("Status").get("header").get("revision").asLong();

                String retry = takeSnapshot(clusterId);

                SnapshotTaken taken = CloudEventCodec.decode(
                        awaitEvent(events, clusterId, retry, EventTypes.SNAPSHOT_TAKEN), SnapshotTaken.class);
                assertThat(taken.memberId()).isEqualTo(next.memberIdHex());
                assertThat(taken.revision()).isEqualTo(revision);
                SnapshotManifest manifest = manifest(clusterId, retry);
                assertThat(manifest.memberEndpoint()).isEqualTo(next.member().clientUrl());
                assertComplete(next.member(), manifest, clusterId, retry);
            }
        }
    }

    @Test
    void aClusterThatLostTwoOfThreeMembersIsNoLeaderSayingWhatWasSeen() {
        String clusterId = "leader-no-quorum";
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve(clusterId));
             TopicRecorder events = recorder()) {
            register(clusterId, new ClusterSpec(cluster.clientUrls(), null, null, null, null, null, Map.of("env", "test")));
            EtcdServer survivor = cluster.leader();
            List<EtcdServer> killed = cluster.followers();
            killed.forEach(EtcdServer::kill);
            await("the survivor stepped down").atMost(Duration.ofSeconds(30)).until(() -> cluster.currentLeader().isEmpty());

            String snapshotId = takeSnapshot(clusterId);

            BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
            assertThat(failed.reason()).isEqualTo(FailureReason.NO_LEADER);
            assertThat(failed.message()).contains("(" + survivor.clientUrl() + ") answered at raft term")
                    .contains(killed.get(0).clientUrl() + ": ").contains(killed.get(1).clientUrl() + ": ");
            assertThat(regions.primary().list(SnapshotLayout.clusterPrefix(clusterId))).isEmpty();
        }
    }

    /** The cluster's endpoints, the leader's behind the proxy. */
    private static ClusterSpec spec(EtcdCluster cluster, EtcdServer leader, StallingProxy proxy) {
        List<String> endpoints = new ArrayList<>(cluster.clientUrls());
        endpoints.set(cluster.members().indexOf(leader), proxy.url());
        return new ClusterSpec(endpoints, null, null, null, null, null, Map.of("env", "test"));
    }

    private SnapshotManifest manifest(String clusterId, String snapshotId) {
        return regions.primary().getJson(SnapshotLayout.manifestKey(clusterId, snapshotId), SnapshotManifest.class);
    }

    /**
     * The stored object is etcd's whole file: its sha256 is the manifest's, stock etcdctl restores it
     * (checking etcd's own trailer), and the restored etcd holds every key with the same KV hash at
     * the snapshot's revision as the live member.
     */
    private void assertComplete(EtcdServer source, SnapshotManifest manifest, String clusterId, String snapshotId)
            throws Exception {
        Path file = dir.resolve(clusterId + "-" + snapshotId + ".db");
        Sha256 sha;
        try (InputStream in = regions.primary().get(SnapshotLayout.objectKey(manifest));
             OutputStream out = Files.newOutputStream(file)) {
            sha = Sha256.copy(in, out);
        }
        assertThat(sha.hex()).isEqualTo(manifest.sha256());
        assertThat(Files.size(file)).isEqualTo(manifest.sizeBytes());
        JsonNode status = EventJson.mapper().readTree(Commands.check(List.of(EtcdServer.etcdctlBinary(),
                "snapshot", "status", file.toString(), "-w", "json")));
        assertThat(status.get("revision").asLong()).isEqualTo(manifest.revision());

        EtcdServer restored = EtcdServer.restoredFrom(dir.resolve(clusterId + "-restored"), file);
        try {
            restored.start();
            String rev = String.valueOf(manifest.revision());
            assertThat(count(restored)).isEqualTo(count(source)).isEqualTo(FILL_KEYS);
            assertThat(hashKv(restored, rev)).isEqualTo(hashKv(source, rev));
        } finally {
            restored.close();
        }
    }

    private static long count(EtcdServer etcd) throws Exception {
        // etcdctl 3.4 has no --count-only; the range answer carries the count
        return EventJson.mapper().readTree(etcd.etcdctl("get", "/registry/", "--prefix", "--keys-only", "-w", "json"))
                .get("count").asLong();
    }

    private static long hashKv(EtcdServer etcd, String revision) throws Exception {
        return EventJson.mapper().readTree(etcd.etcdctl("endpoint", "hashkv", "--rev", revision, "-w", "json"))
                .get(0).get("HashKV").get("hash").asLong();
    }

    /** About 4 MB of random values, so the stream is held well before its end. */
    private static void fill(EtcdCluster cluster) {
        Random random = new Random(1);
        try (Client client = Client.builder().endpoints(cluster.clientUrls().toArray(String[]::new)).build()) {
            List<CompletableFuture<?>> batch = new ArrayList<>();
            for (int i = 0; i < FILL_KEYS; i++) {
                byte[] value = new byte[10_000];
                random.nextBytes(value);
                batch.add(client.getKVClient().put(ByteSequence.from(("/registry/fill/" + i).getBytes()),
                        ByteSequence.from(value)));
                if (batch.size() == 32) {
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                    batch.clear();
                }
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
        }
    }
}
