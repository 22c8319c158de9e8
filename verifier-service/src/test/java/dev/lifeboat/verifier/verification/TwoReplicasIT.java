package dev.lifeboat.verifier.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.verifier.SnapshotFixtures;
import dev.lifeboat.verifier.claim.VerificationClaims;
import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.drill.DrillSettings;
import dev.lifeboat.verifier.drill.LiveDrills;
import dev.lifeboat.verifier.drill.RestoreDrill;
import dev.lifeboat.verifier.messaging.VerdictAnnouncer;
import dev.lifeboat.verifier.metrics.VerifierMetrics;

/**
 * Two verifier replicas in one consumer group against the same Kafka and S3: the running service
 * (replica A) and a second one built from the same classes with its own Kafka consumer, scratch
 * directory, drills and claim owner (replica B). B joins while A is drilling, so the group
 * rebalances mid-drill and records A had taken but not committed are delivered to B as well.
 * Every snapshot still gets exactly one verdict, drilled once.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class TwoReplicasIT {
    private static final Duration VERDICT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 3;

    static Path dir;
    static Path snapshot;

    @Inject
    EventPublisher publisher;
    @Inject
    Regions regions;
    @Inject
    VerifierConfig config;
    @Inject
    MeterRegistry registryOfA;

    @BeforeAll
    static void aRealSnapshot() throws IOException {
        dir = Files.createTempDirectory("verifier-replicas-");
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
            for (int i = 0; i < 20; i++) {
                etcd.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
            }
            snapshot = SnapshotFixtures.save(etcd, dir.resolve("replicas.db"));
        }
    }

    @AfterAll
    static void cleanUp() {
        // the temp dir holds only the snapshot and B's scratch directories, emptied by the drills
    }

    @Test
    void aRebalanceMidDrillGivesEverySnapshotExactlyOneVerdict() throws Exception {
        // two snapshots on every partition, so whichever partitions B is given hold records of A's
        List<String> clusters = clusterIdsCoveringEveryPartition(2);
        List<SnapshotTaken> events = new ArrayList<>();
        String snapshotId = SnapshotIds.newSnapshotId(Instant.now());
        for (String clusterId : clusters) {
            events.add(StoredSnapshots.upload(regions.primary(), clusterId, snapshotId, snapshot, Files.size(snapshot),
                    SnapshotFixtures.sha256(snapshot)));
        }
        double drillsOfABefore = drills(registryOfA);
        double inProgressOfABefore = inProgress(registryOfA);
        SimpleMeterRegistry registryOfB = new SimpleMeterRegistry();

        try (TopicRecorder verified = new TopicRecorder(bootstrap(), Topics.SNAPSHOTS_VERIFIED);
             TopicRecorder failures = new TopicRecorder(bootstrap(), Topics.FAILURES);
             VerificationClaims claimsOfB = new VerificationClaims("replica-b", config.claim().ttl(), Clock.systemUTC())) {
            for (SnapshotTaken taken : events) {
                publisher.publish(taken);
            }
            // A is drilling: it holds a claim on a snapshot that has no verdict yet
            await().atMost(VERDICT).until(() -> events.stream().anyMatch(this::claimedWithoutVerdict));

            LiveDrills liveOfB = new LiveDrills();
            RestoreDrill drillOfB = new RestoreDrill(new DrillSettings(config.etcdBinary(), config.etcdctlBinary(),
                    dir.resolve("replica-b/drills"), config.drill().timeout(), 1), liveOfB);
            SnapshotVerification verificationOfB = new SnapshotVerification(regions, drillOfB, config,
                    dir.resolve("replica-b"), claimsOfB);
            VerdictAnnouncer announcerOfB = new VerdictAnnouncer(publisher, new VerifierMetrics(registryOfB, verificationOfB));
            Handler handlerOfB = taken -> {
                long began = System.nanoTime();
                Verdict v = verificationOfB.verify(taken);
                announcerOfB.announce(v, began);
            };
            AtomicBoolean stop = new AtomicBoolean();
            Thread replicaB = new Thread(() -> consume(handlerOfB, stop), "replica-b");
            replicaB.start();
            try {
                Set<String> ours = clusters.stream().collect(Collectors.toSet());
                List<ConsumerRecord<String, byte[]>> all = verified.awaitCount(r -> ours.contains(r.key()),
                        clusters.size(), VERDICT);
                // both replicas done with what they were given
                await().atMost(VERDICT).until(() -> events.stream().allMatch(e -> claim(e).isEmpty()));
                all = verified.drain(r -> ours.contains(r.key()), Duration.ofSeconds(3));

                Map<String, List<SnapshotVerified>> byCluster = all.stream().map(r -> decode(r))
                        .collect(Collectors.groupingBy(SnapshotVerified::clusterId));
                assertThat(byCluster.keySet()).containsExactlyInAnyOrderElementsOf(clusters);
                // a republished verdict is the recorded one, byte for byte the same event
                byCluster.forEach((cluster, verdicts) -> assertThat(verdicts).as(cluster).containsOnly(verdicts.get(0)));
                assertThat(failures.drain(r -> ours.contains(r.key()), Duration.ofSeconds(1))).isEmpty();
                // each snapshot drilled once, by one of the two
                assertThat(drills(registryOfA) - drillsOfABefore + drills(registryOfB)).isEqualTo(clusters.size());
                // the rebalance redelivered what A had taken and not committed (to B or back to A):
                // answered by a claim or in-flight guard, or by republishing the recorded verdict
                long republished = all.size() - clusters.size();
                double answeredByAGuard = inProgress(registryOfA) - inProgressOfABefore + inProgress(registryOfB);
                assertThat(republished + answeredByAGuard).as("redeliveries after the rebalance").isPositive();
            } finally {
                stop.set(true);
                replicaB.join(Duration.ofSeconds(30).toMillis());
                liveOfB.stopAll();
            }
        }
    }

    private interface Handler {
        void handle(SnapshotTaken taken) throws InterruptedException;
    }

    /** Replica B's consumer: the same group as the service, one record at a time, committed after its verdict. */
    private static void consume(Handler handler, AtomicBoolean stop) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-verifier");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SNAPSHOTS_TAKEN));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handler.handle(Events.decode(record, SnapshotTaken.class));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (RuntimeException notOurs) {
                        // another test's poison record: the service parks those
                    }
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        }
    }

    private boolean claimedWithoutVerdict(SnapshotTaken e) {
        return claim(e).isPresent()
                && regions.primary().stat(SnapshotLayout.verificationKey(e.clusterId(), e.snapshotId())).isEmpty();
    }

    private java.util.Optional<dev.lifeboat.store.StoredObject> claim(SnapshotTaken e) {
        return regions.primary().stat(SnapshotLayout.verificationClaimKey(e.clusterId(), e.snapshotId()));
    }

    private static double inProgress(MeterRegistry registry) {
        var counter = registry.find("lifeboat.verifier.deliveries.in.progress").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double drills(MeterRegistry registry) {
        var timer = registry.find("lifeboat.verifier.drill.rto").timer();
        return timer == null ? 0 : timer.count();
    }

    private static List<String> clusterIdsCoveringEveryPartition(int perPartition) {
        int[] count = new int[PARTITIONS];
        List<String> ids = new ArrayList<>();
        while (ids.size() < PARTITIONS * perPartition) {
            String id = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (count[partition] < perPartition) {
                count[partition]++;
                ids.add(id);
            }
        }
        return ids;
    }

    private static SnapshotVerified decode(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readValue(record.value(), SnapshotVerified.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String bootstrap() {
        return LifeboatInfrastructure.servers().kafka().bootstrapServers();
    }
}
