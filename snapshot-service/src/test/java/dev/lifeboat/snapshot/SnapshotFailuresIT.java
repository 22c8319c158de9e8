package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.snapshot.taking.RunningSnapshot;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.RefusedPorts;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.snapshot.scheduling.FireCatchUp;
import dev.lifeboat.snapshot.scheduling.FireIds;
import dev.lifeboat.snapshot.scheduling.SnapshotScheduler;
import dev.lifeboat.snapshot.taking.FailedFires;
import dev.lifeboat.snapshot.taking.Trigger;
import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.Topics;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** etcd down, store down, etcd killed mid-stream: a failure event with the reason, and nothing half-visible. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SnapshotFailuresIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer etcd;

    @Inject
    Regions regions;

    @Inject
    SnapshotJobs runner;

    @Inject
    SnapshotScheduler scheduler;

    @Inject
    FireCatchUp catchUp;

    @Inject
    FailedFires failedFires;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-failures-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        etcd.etcdctl("put", "/registry/namespaces/default", "ns");
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    private void assertNothingStored(String clusterId) {
        assertThat(regions.primary().list(SnapshotLayout.clusterPrefix(clusterId))).isEmpty();
        asAdmin().when().get("/api/v1/clusters/" + clusterId + "/snapshots").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anUnreachableClusterIsEtcdUnreachable() {
        String clusterId = "fail-unreachable";
        try (RefusedPorts dead = RefusedPorts.hold(1); TopicRecorder events = recorder()) {
            register(clusterId, plain(dead.url()));
            String snapshotId = takeSnapshot(clusterId);
            BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
            assertThat(failed.reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE);
            assertThat(failed.stage()).isEqualTo(Stage.SNAPSHOT);
            assertThat(failed.message()).contains("127.0.0.1");
            assertThat(failed.attempt()).isEqualTo(1);
        }
        assertNothingStored(clusterId);
        asAdmin().when().get("/q/metrics").then()
                .body(containsString("lifeboat_snapshot_failures_total{cluster=\"" + clusterId + "\",reason=\"ETCD_UNREACHABLE\",severity=\"CRITICAL\"}"));
    }

    @Test
    void aStoreOutageIsStoreUnavailableAndLeavesNothingBehind() {
        String clusterId = "fail-store";
        register(clusterId, plain(etcd.clientUrl()));
        var s3 = LifeboatInfrastructure.servers().primary();
        try (TopicRecorder events = recorder()) {
            s3.stop();
            String snapshotId = takeSnapshot(clusterId);
            BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
            assertThat(failed.reason()).isEqualTo(FailureReason.STORE_UNAVAILABLE);
            assertThat(failed.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
        } finally {
            s3.start();
        }
        assertNothingStored(clusterId);
    }

    @Test
    void anEtcdKilledMidStreamLeavesNoSnapshotVisible() throws Exception {
        String clusterId = "fail-midstream";
        EtcdServer big = EtcdServer.start(dir.resolve("etcd-big"));
        try {
            fill(big, 96, 100_000);
            register(clusterId, plain(big.clientUrl()));
            try (TopicRecorder events = recorder()) {
                String snapshotId = takeSnapshot(clusterId);
                // while it runs, a second request is refused
                asAdmin().when().post("/api/v1/clusters/" + clusterId + "/snapshots")
                        .then().statusCode(409).contentType("application/problem+json")
                        .body("detail", containsString(snapshotId));
                await("bytes streamed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> runner.running(clusterId).map(RunningSnapshot::bytesStreamed).orElse(0L) > 0
                                || runner.running(clusterId).isEmpty());
                assertThat(runner.running(clusterId)).as("snapshot still streaming").isPresent();
                big.kill();
                BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
                assertThat(failed.reason()).isEqualTo(FailureReason.SNAPSHOT_STREAM_FAILED);
            }
            assertNothingStored(clusterId);
        } finally {
            big.close();
        }
    }

    @Test
    void anEtcdThatStopsSendingIsStalledWithinTheStallTimeoutAndAScheduledFireMeanwhileIsSkipped() {
        String clusterId = "fail-stalled";
        fill(etcd, 2, 10_000); // a snapshot of a few MB: far more than the proxy lets through
        try (StallingProxy proxy = StallingProxy.to("127.0.0.1", etcd.clientPort());
             TopicRecorder events = recorder()) {
            proxy.stallAfter(256 * 1024);
            register(clusterId, new ClusterSpec(List.of(proxy.url()), null, "* * * * *", null, null, null,
                    Map.of("env", "test")));
            long started = System.nanoTime();
            String snapshotId = takeSnapshot(clusterId);

            // the stalled snapshot still holds the cluster: the scheduled fire is skipped, with an event
            scheduler.tick(Instant.now());
            // (other tests' clusters share the registry and may start in this tick: this cluster's skip event is the judge)
            scheduler.tick(scheduler.nextFire(clusterId));
            ConsumerRecord<String, byte[]> skipped = events.await(r -> clusterId.equals(r.key())
                    && !snapshotId.equals(CloudEventCodec.header(r.headers(), "ce_subject")), EVENT_TIMEOUT);
            BackupFailed skip = CloudEventCodec.decode(skipped, BackupFailed.class);
            assertThat(skip.reason()).isEqualTo(FailureReason.SNAPSHOT_SKIPPED);
            assertThat(skip.severity()).isEqualTo(Severity.WARNING);
            assertThat(skip.message()).contains(snapshotId);

            BackupFailed failed = awaitFailure(events, clusterId, snapshotId);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(failed.reason()).isEqualTo(FailureReason.SNAPSHOT_STALLED);
            assertThat(failed.message()).contains("no snapshot bytes for");
            // stall timeout 5 s (test profile) after the last byte, far below the total limit (30 min)
            assertThat(took).isLessThan(Duration.ofSeconds(30));
        }
        assertNothingStored(clusterId);
        asAdmin().when().get("/q/metrics").then()
                .body(containsString("lifeboat_snapshot_failures_total{cluster=\"" + clusterId + "\",reason=\"SNAPSHOT_STALLED\",severity=\"CRITICAL\"}"))
                .body(containsString("lifeboat_snapshot_failures_total{cluster=\"" + clusterId + "\",reason=\"SNAPSHOT_SKIPPED\",severity=\"WARNING\"}"))
                .body(containsString("lifeboat_snapshot_queue_seconds_count{cluster=\"" + clusterId + "\"}"));
    }

    @Test
    void aSupersededFireWhoseAttemptFailedIsNamedByItsOwnFailureOnlyAndOldRecordsAreRemoved() {
        String clusterId = "fail-fire-then-down";
        String oldCluster = "fail-fire-long-ago";
        try (RefusedPorts dead = RefusedPorts.hold(1); TopicRecorder events = recorder();
             TopicRecorder fires = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                     Topics.SNAPSHOTS_FAILED_FIRES)) {
            ClusterSpec spec = new ClusterSpec(List.of(dead.url()), null, "* * * * *", null, null, null, Map.of("env", "test"));
            register(clusterId, spec);
            register(oldCluster, spec);
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Instant failedFire = minute.minus(Duration.ofMinutes(3));
            Instant missedFire = failedFire.plus(Duration.ofMinutes(1));
            // the fire of three minutes ago was attempted and failed; a fire older than the catch-up window too
            String failedId = FireIds.onTime(clusterId, failedFire);
            String oldId = FireIds.onTime(oldCluster, minute.minus(Duration.ofHours(25)));
            runner.start(clusterId, spec, Trigger.SCHEDULE, failedId);
            runner.start(oldCluster, spec, Trigger.SCHEDULE, oldId);
            assertThat(awaitFailure(events, clusterId, failedId).reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE);
            assertThat(awaitFailure(events, oldCluster, oldId).reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE);
            // each failed fire is recorded once its failure is published
            fires.await(r -> (clusterId + "/" + failedId).equals(r.key()) && r.value() != null, EVENT_TIMEOUT);
            fires.await(r -> (oldCluster + "/" + oldId).equals(r.key()) && r.value() != null, EVENT_TIMEOUT);

            // then the service was down: the cluster is planned again now and catches up its latest fire, which
            // supersedes the failed fire and the missed one after it
            catchUp.firstPlanned(clusterId, spec, CronSchedule.parse("* * * * *"), failedFire.minusSeconds(30),
                    Instant.now());
            String missedId = FireIds.onTime(clusterId, missedFire);
            BackupFailed missed = awaitFailure(events, clusterId, missedId);
            assertThat(missed.reason()).as(missed.message()).isEqualTo(FailureReason.SNAPSHOT_SKIPPED);
            // superseded fires are named oldest first, on the cluster's partition: had the failed fire been named, it
            // would be on the topic before the missed one
            assertThat(events.records(r -> clusterId.equals(r.key())
                    && failedId.equals(CloudEventCodec.header(r.headers(), "ce_subject"))).stream()
                    .map(r -> CloudEventCodec.decode(r, BackupFailed.class).reason()))
                    .as("failures naming the fire whose attempt failed").containsExactly(FailureReason.ETCD_UNREACHABLE);

            // the read of the topic removed the record older than the catch-up window, and only that one
            assertThat(failedFires.recorded(oldCluster, oldId, Instant.now())).isFalse();
            assertThat(failedFires.recorded(clusterId, failedId, Instant.now())).isTrue();
            fires.await(r -> (oldCluster + "/" + oldId).equals(r.key()) && r.value() == null, EVENT_TIMEOUT);
        }
        assertNothingStored(clusterId);
    }

    /** Writes about {@code megabytes} MB of random values, so the snapshot takes a while to stream. */
    static void fill(EtcdServer server, int megabytes, int valueSize) {
        Random random = new Random(1);
        try (Client client = Client.builder().endpoints(server.clientUrl()).build()) {
            int count = megabytes * 1_000_000 / valueSize;
            List<CompletableFuture<?>> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] value = new byte[valueSize];
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
