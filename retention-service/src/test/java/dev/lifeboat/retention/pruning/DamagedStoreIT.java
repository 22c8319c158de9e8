package dev.lifeboat.retention.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.retention.AdjustableClock;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.retention.SyntheticSnapshots.Written;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.kit.retention.RetentionPolicies;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.events.Severity;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.StallingProxy;

/**
 * Retention over a primary region a crash and a bad writer have damaged, on real S3: a corrupt
 * manifest is that snapshot's problem (kept, reported as MANIFEST_UNREADABLE, the cluster's other
 * snapshots pruned as usual), and an upload a crash left unfinished is aborted once older than
 * the grace period. A manifest whose read fails on the network (its GET dropped, every retry) is
 * that snapshot's problem too: kept, reported as MANIFEST_UNAVAILABLE (a WARNING), never a store
 * outage, and the run prunes the others.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class DamagedStoreIT {
    private static final String CLUSTER = "retention-damaged-it";

    @Inject
    Regions regions;
    @Inject
    EventPublisher publisher;
    @Inject
    ClusterRegistry registry;
    @Inject
    RetentionRunner runner;
    @Inject
    RetentionPolicies policies;
    @Inject
    AdjustableClock clock;
    @Inject
    RetentionConfig config;
    @Inject
    RetentionMetrics metrics;

    @AfterEach
    void systemTime() {
        clock.reset();
    }

    @Test
    void aCorruptManifestIsKeptAndReportedAndAnOrphanedUploadIsAborted() throws Exception {
        publisher.publish(new ClusterRegistered(CLUSTER, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                null, new ClusterSpec.RetentionSpec(1, 0, 0, 0, 0, null, null), List.of(), null, Map.of()),
                Instant.now()));
        await("the registration").atMost(Duration.ofSeconds(30))
                .until(() -> registry.get(CLUSTER).isPresent());

        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String newest = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(1)));
        String corrupt = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(2)));
        String older = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(3)));
        for (String id : List.of(newest, corrupt, older)) {
            SyntheticSnapshots.write(new Written(primary, CLUSTER, id, SnapshotIds.timeOf(id), true, true));
        }
        primary.put(SnapshotLayout.manifestKey(CLUSTER, corrupt),
                "{\"format\":\"etcd-snapshot-v1\",\"clusterId\":".getBytes(StandardCharsets.UTF_8), "application/json");
        List<String> corruptObjects = keysOf(primary, SnapshotLayout.snapshotPrefix(CLUSTER, corrupt));

        S3Server s3 = LifeboatInfrastructure.servers().s3(LifeboatInfrastructure.PRIMARY);
        String orphan = SnapshotLayout.snapshotPrefix(CLUSTER, SnapshotIds.newSnapshotId(now)) + SnapshotLayout.SNAPSHOT;
        s3.s3api(LifeboatInfrastructure.BUCKET, "create-multipart-upload", "--key", orphan);
        assertThat(s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET)).contains(orphan);

        try (TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            // inside the grace period: the unfinished upload may still be running
            runner.run(CLUSTER, false);
            assertThat(s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET)).contains(orphan);

            clock.set(Instant.now().plus(policies.grace()).plus(Duration.ofMinutes(5)));
            runner.run(CLUSTER, false);

            assertThat(s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET)).doesNotContain(orphan);
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(CLUSTER, corrupt)))
                    .as("every object of the snapshot whose manifest cannot be read").isEqualTo(corruptObjects);
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(CLUSTER, older))).as("pruned as usual").isEmpty();
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(CLUSTER, newest))).isNotEmpty();

            List<BackupFailed> reported = failures.awaitEvents(BackupFailed.class, CLUSTER, 2, Duration.ofSeconds(30));
            assertThat(reported).allSatisfy(f -> {
                assertThat(f.reason()).isEqualTo(FailureReason.MANIFEST_UNREADABLE);
                assertThat(f.stage()).isEqualTo(Stage.PRUNE);
                assertThat(f.snapshotId()).isEqualTo(corrupt);
                assertThat(f.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
                assertThat(f.message()).contains(SnapshotLayout.manifestKey(CLUSTER, corrupt));
            });
            failures.readToEnd();
            assertThat(failures.events(BackupFailed.class, CLUSTER))
                    .extracting(BackupFailed::reason).containsOnly(FailureReason.MANIFEST_UNREADABLE);
        }
    }

    @Test
    void aManifestWhoseReadFailsOnTheNetworkIsKeptAndReportedWhileTheOthersArePruned() throws Exception {
        String cluster = "retention-net-failure-it";
        publisher.publish(new ClusterRegistered(cluster, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                null, new ClusterSpec.RetentionSpec(1, 0, 0, 0, 0, null, null), List.of(), null, Map.of()),
                Instant.now()));
        await("the registration").atMost(Duration.ofSeconds(30)).until(() -> registry.get(cluster).isPresent());

        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String newest = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(1)));
        String cut = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(2)));
        String older = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(3)));
        String oldest = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(4)));
        for (String id : List.of(newest, cut, older, oldest)) {
            SyntheticSnapshots.write(new Written(primary, cluster, id, SnapshotIds.timeOf(id), true, true));
        }
        List<String> cutObjects = keysOf(primary, SnapshotLayout.snapshotPrefix(cluster, cut));

        // the same primary region, reached through a proxy that drops every request for that one manifest
        java.net.URI endpoint = java.net.URI.create(LifeboatInfrastructure.servers().s3(LifeboatInfrastructure.PRIMARY)
                .endpoint());
        try (StallingProxy proxy = StallingProxy.to(endpoint.getHost(), endpoint.getPort());
             TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            proxy.dropRequestsContaining(SnapshotLayout.manifestKey(cluster, cut));
            Regions proxied = new Regions(LifeboatInfrastructure.PRIMARY, List.of(Region.s3(
                    LifeboatInfrastructure.PRIMARY, proxy.url(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                    LifeboatInfrastructure.BUCKET)));
            RetentionRunner throughProxy = new RetentionRunner(proxied, registry, policies, config, publisher,
                    metrics, clock, id -> true);
            clock.set(Instant.now().plus(policies.grace()).plus(Duration.ofMinutes(5)));

            throughProxy.run(cluster, false);

            assertThat(proxy.droppedRequests()).as("the manifest's GET really failed").isPositive();
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(cluster, cut)))
                    .as("every object of the snapshot whose manifest could not be read").isEqualTo(cutObjects);
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(cluster, older))).as("pruned as usual").isEmpty();
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(cluster, oldest))).as("pruned as usual").isEmpty();
            assertThat(keysOf(primary, SnapshotLayout.snapshotPrefix(cluster, newest))).isNotEmpty();

            BackupFailed reported = failures.awaitEvents(BackupFailed.class, cluster, 1, Duration.ofSeconds(30)).get(0);
            assertThat(reported.reason()).isEqualTo(FailureReason.MANIFEST_UNAVAILABLE);
            assertThat(reported.severity()).isEqualTo(Severity.WARNING);
            assertThat(reported.stage()).isEqualTo(Stage.PRUNE);
            assertThat(reported.snapshotId()).isEqualTo(cut);
            assertThat(reported.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
            assertThat(reported.message()).contains(SnapshotLayout.manifestKey(cluster, cut));
            failures.readToEnd();
            assertThat(failures.events(BackupFailed.class, cluster)).as("no store outage, nothing else")
                    .extracting(BackupFailed::reason).containsOnly(FailureReason.MANIFEST_UNAVAILABLE);
        }
    }

    private static List<String> keysOf(ObjectStore store, String prefix) {
        return store.list(prefix).stream().map(StoredObject::key).toList();
    }

    private static String kafka() {
        return LifeboatInfrastructure.servers().kafka().bootstrapServers();
    }
}
