package dev.lifeboat.kit.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.messaging.TopicSetup;
import dev.lifeboat.testing.KafkaBroker;

/** Replicas of one service against a real broker: each cluster has one owner, and ownership moves. */
class OwnershipMemberIT {
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final List<String> CLUSTERS = IntStream.range(0, 60).mapToObj(i -> "cluster-" + i).toList();
    private static KafkaBroker kafka;
    private static KafkaClientConfig config;
    private final List<OwnershipMember> members = new ArrayList<>();

    @BeforeAll
    static void broker() throws Exception {
        kafka = KafkaBroker.start(Files.createTempDirectory("ownership-it-").resolve("kafka"));
        config = KafkaClientConfig.bootstrap(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private OwnershipMember member(String topic, String name, OwnershipListener listener) {
        OwnershipMember m = new OwnershipMember(config, topic, "it-" + topic, name, SESSION, Duration.ofSeconds(20),
                listener, null).start();
        members.add(m);
        return m;
    }

    private static Set<String> owned(OwnershipMember m) {
        return CLUSTERS.stream().filter(m::owns).collect(Collectors.toSet());
    }

    @Test
    void twoReplicasSplitTheClustersAndTheSurvivorTakesAllOfThemWhenTheOtherLeaves() {
        String topic = "lifeboat.ownership.split";
        new TopicSetup(config, 3, (short) 1).ensureOwnership(topic, 12);
        OwnershipMember a = member(topic, "a", new OwnershipListener() {});
        await().atMost(Duration.ofSeconds(30)).until(() -> owned(a).size() == CLUSTERS.size());
        OwnershipMember b = member(topic, "b", new OwnershipListener() {});

        await().atMost(Duration.ofSeconds(30)).until(() -> b.isReady() && !owned(b).isEmpty()
                && owned(a).size() + owned(b).size() == CLUSTERS.size());
        Set<String> both = owned(a);
        both.retainAll(owned(b));
        assertThat(both).as("clusters owned twice").isEmpty();
        assertThat(a.owned().partitions()).hasSize(6);
        assertThat(b.owned().partitions()).hasSize(6);

        b.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> owned(a).size() == CLUSTERS.size());
        assertThat(owned(b)).isEmpty();
        a.close();
    }

    @Test
    void theOldOwnerFinishesReleasingBeforeTheNewOwnerGainsAndNoClusterIsEverOwnedTwice() {
        String topic = "lifeboat.ownership.handover";
        new TopicSetup(config, 3, (short) 1).ensureOwnership(topic, 6);
        List<String> journal = new CopyOnWriteArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        List<OwnershipMember> both = new CopyOnWriteArrayList<>();
        OwnershipMember a = member(topic, "a", new OwnershipListener() {
            @Override
            public void releasing(OwnedPartitions released, boolean lost) {
                journal.add("a releasing " + released.partitions());
                // a slow release: the new owner must not have started meanwhile
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    checkOverlap(both, overlap);
                    Thread.onSpinWait();
                }
                journal.add("a released");
            }
        });
        both.add(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> owned(a).size() == CLUSTERS.size());
        OwnershipMember b = member(topic, "b", new OwnershipListener() {
            @Override
            public void gained(OwnedPartitions gained) {
                journal.add("b gained " + gained.partitions());
            }
        });
        both.add(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            checkOverlap(both, overlap);
            return !owned(b).isEmpty() && owned(a).size() + owned(b).size() == CLUSTERS.size();
        });
        assertThat(overlap).as("a cluster owned by both replicas at once").isFalse();
        assertThat(journal).containsSubsequence("a released", "b gained " + b.owned().partitions());
        assertThat(journal.indexOf("a released")).isLessThan(journal.indexOf("b gained " + b.owned().partitions()));
        a.close();
        b.close();
    }

    private static void checkOverlap(List<OwnershipMember> members, AtomicBoolean overlap) {
        for (String c : CLUSTERS) {
            if (members.stream().filter(m -> m.owns(c)).count() > 1) {
                overlap.set(true);
            }
        }
    }

    @Test
    void aReplicaThatStopsHeartbeatingHandsItsClustersOverWithinTheSessionTimeoutPlusARebalance() throws Exception {
        String topic = "lifeboat.ownership.crash";
        new TopicSetup(config, 3, (short) 1).ensureOwnership(topic, 12);
        OwnershipMember a = member(topic, "a", new OwnershipListener() {});
        await().atMost(Duration.ofSeconds(30)).until(() -> owned(a).size() == CLUSTERS.size());
        // the crashed replica: a real member in its own JVM, killed with SIGKILL
        Path log = Files.createTempFile("ownership-member-", ".log");
        var crashed = dev.lifeboat.testing.ServerProcess.start("ownership-member", List.of(
                dev.lifeboat.testing.ServerProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                OwnershipMemberMain.class.getName(), kafka.bootstrapServers(), topic, "it-" + topic,
                Long.toString(SESSION.toMillis())), log);
        crashed.awaitReady(() -> owned(a).size() < CLUSTERS.size(), Duration.ofSeconds(30));
        assertThat(owned(a)).hasSizeLessThan(CLUSTERS.size());

        long killedAt = System.nanoTime();
        crashed.kill();
        await().atMost(SESSION.plusSeconds(15)).until(() -> owned(a).size() == CLUSTERS.size());
        Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("handover after SIGKILL: %d ms (session timeout %d ms)%n", handover.toMillis(), SESSION.toMillis());
        assertThat(handover).isGreaterThanOrEqualTo(SESSION.minusSeconds(1))
                .isLessThanOrEqualTo(SESSION.plus(SESSION.dividedBy(3)).plusSeconds(3));
        a.close();
    }
}
