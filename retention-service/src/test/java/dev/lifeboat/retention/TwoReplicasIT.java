package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.ownership.OwnershipListener;
import dev.lifeboat.kit.ownership.OwnershipMember;
import dev.lifeboat.kit.retention.RetentionPolicies;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.freshness.FreshnessWatchdog;
import dev.lifeboat.retention.freshness.StaleBackupHistory;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.retention.pruning.RetentionRunner;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;

/**
 * Two retention replicas sharing the fleet through one owners group on real Kafka (the same
 * {@link OwnershipMember} the service's {@code ClusterOwnership} runs), against the same stores:
 * each replica is asked to run retention for every cluster and to watch every cluster, and still
 * each pruned snapshot is deleted and announced once, and each STALE_BACKUP episode raised once and
 * resolved once, also when one replica stops between the raise and the resolve.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class TwoReplicasIT {
    private static final int PER_REPLICA = 3;
    private static final int PARTITIONS = 12;

    @Inject
    ClusterRegistry registry;
    @Inject
    EventPublisher publisher;
    @Inject
    RetentionMetrics metrics;
    @Inject
    RetentionConfig config;
    @Inject
    RetentionPolicies policies;
    @Inject
    Regions regions;
    @Inject
    AdjustableClock clock;
    @Inject
    KafkaClientConfig kafka;

    private final List<AutoCloseable> replicas = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : replicas) {
            c.close();
        }
        clock.reset();
    }

    @Test
    void eachPruneAndEachEpisodeHappensOnceAcrossTwoReplicas() throws Exception {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String service = "retention-pair-" + run;
        String topic = Topics.ownership(service);
        try (Admin admin = Admin.create(kafka.admin("two-replicas-it"))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        OwnershipMember a = member(topic, service, "a");
        OwnershipMember b = member(topic, service, "b");
        await().atMost(Duration.ofSeconds(60)).until(() -> a.owned().partitions().size()
                + b.owned().partitions().size() == PARTITIONS && !a.owned().isEmpty() && !b.owned().isEmpty());

        // clusters of both replicas, PER_REPLICA each
        List<String> clusters = new ArrayList<>();
        int ofA = 0;
        int ofB = 0;
        for (int i = 0; ofA < PER_REPLICA || ofB < PER_REPLICA; i++) {
            String id = "pair-" + run + "-" + i;
            if (a.owns(id) && ofA < PER_REPLICA) {
                ofA++;
                clusters.add(id);
            } else if (b.owns(id) && ofB < PER_REPLICA) {
                ofB++;
                clusters.add(id);
            }
        }
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        List<SyntheticSnapshots.Written> history = new ArrayList<>();
        for (String id : clusters) {
            // hourly, keeps the 2 newest; 6 verified snapshots in the primary, the newest 3 h old: stale, 4 to prune
            publisher.publish(new ClusterRegistered(id, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                    "0 * * * *", new ClusterSpec.RetentionSpec(2, 0, 0, 0, 0, 0, 0), List.of(), null, Map.of()),
                    base.minus(Duration.ofDays(2))));
            for (int h = 0; h < 6; h++) {
                Instant at = base.minus(Duration.ofHours(3 + h));
                history.add(new SyntheticSnapshots.Written(primary, id, SnapshotIds.newSnapshotId(at), at, true, true));
            }
        }
        SyntheticSnapshots.write(history);
        await().atMost(Duration.ofSeconds(30)).until(() -> clusters.stream().allMatch(c -> registry.get(c).isPresent()));

        RetentionRunner runnerA = runner(a);
        RetentionRunner runnerB = runner(b);
        FreshnessWatchdog watchdogA = watchdog(a, "a", clusters);
        FreshnessWatchdog watchdogB = watchdog(b, "b", clusters);

        clock.set(base);
        for (String id : clusters) {                   // both replicas are asked for every cluster
            runnerA.run(id, false);
            runnerB.run(id, false);
        }
        watchdogA.check(base);
        watchdogB.check(base);

        a.close();                                      // replica a stops: b takes over its clusters
        await().atMost(Duration.ofSeconds(60)).until(() -> clusters.stream().allMatch(b::owns));
        for (String id : clusters) {                   // fresh again
            Instant at = base.plus(Duration.ofMinutes(5));
            SyntheticSnapshots.write(new SyntheticSnapshots.Written(primary, id, SnapshotIds.newSnapshotId(at), at,
                    true, true));
        }
        clock.set(base.plus(Duration.ofMinutes(10)));
        watchdogB.check(base.plus(Duration.ofMinutes(10)));           // a stopped: only b watches

        for (String id : clusters) {
            assertThat(new SnapshotCatalog(primary).complete(id)).as(id).hasSize(3); // the 2 kept + the fresh one
        }
        String bootstrap = LifeboatInfrastructure.servers().kafka().bootstrapServers();
        try (TopicRecorder pruned = new TopicRecorder(bootstrap, Topics.SNAPSHOTS_PRUNED);
             TopicRecorder failures = new TopicRecorder(bootstrap, Topics.FAILURES)) {
            for (String id : clusters) {
                pruned.awaitCount(TopicRecorder.keyed(id), 4, Duration.ofSeconds(30));
                failures.awaitCount(TopicRecorder.keyed(id), 2, Duration.ofSeconds(30));
            }
            for (String id : clusters) {
                List<SnapshotPruned> announced = pruned.drain(TopicRecorder.keyed(id), Duration.ofMillis(200)).stream()
                        .map(r -> (SnapshotPruned) CloudEventCodec.decode(r)).toList();
                assertThat(announced).as("pruned once each: " + id).hasSize(4)
                        .extracting(SnapshotPruned::snapshotId).doesNotHaveDuplicates();
                List<BackupFailed> episode = failures.drain(TopicRecorder.keyed(id), Duration.ofMillis(200)).stream()
                        .map(r -> (BackupFailed) CloudEventCodec.decode(r))
                        .filter(f -> f.reason() == FailureReason.STALE_BACKUP).toList();
                assertThat(episode).as("one raise, one resolve: " + id)
                        .extracting(BackupFailed::resolved, BackupFailed::attempt, BackupFailed::time)
                        .containsExactly(tuple(false, 1, base), tuple(true, 1, base.plus(Duration.ofMinutes(10))));
            }
        }
    }

    private OwnershipMember member(String topic, String service, String replica) {
        OwnershipMember m = new OwnershipMember(kafka, topic, service, replica, Duration.ofSeconds(6),
                Duration.ofSeconds(10), new OwnershipListener() {}, null).start();
        replicas.add(m);
        return m;
    }

    private RetentionRunner runner(OwnershipMember owner) {
        return new RetentionRunner(regions, registry, policies, config, publisher, metrics, clock, owner::owns);
    }

    private FreshnessWatchdog watchdog(OwnershipMember owner, String name, List<String> clusters)
            throws InterruptedException {
        StaleBackupHistory history = new StaleBackupHistory(kafka, config, clock, "two-replicas-it-" + name)
                .startCaughtUp(Duration.ofSeconds(60));
        replicas.add(history);
        // only this test's clusters, and of those the ones the replica owns
        return new FreshnessWatchdog(registry, regions, publisher, metrics, clock, config, history,
                id -> clusters.contains(id) && owner.owns(id));
    }
}
