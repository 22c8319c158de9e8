package dev.lifeboat.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;

/**
 * Faults injected into the whole running pipeline — the four built services as child JVMs, one
 * Kafka broker, a primary and a secondary S3 region, real etcd — one after the other on the same
 * stack, each followed by the same judge, {@link PipelineInvariants}: the pipeline must settle
 * within a bound after each fault with every invariant holding.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {
    private static final String HEALTHY = "healthy";
    private static final String PRIMARY = LifeboatInfrastructure.PRIMARY;
    private static final String SECONDARY = LifeboatInfrastructure.SECONDARY;
    /** How long the pipeline has to settle after a fault: the slowest recovery is a dead verifier's expired claim + a sweep. */
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private static Path dir;
    private static EtcdServer etcd;
    private static PipelineStack stack;
    private static TopicRecorder topics;
    private static PipelineInvariants invariants;
    private static final Map<String, Duration> settled = new LinkedHashMap<>();
    private static Instant started;

    @BeforeAll
    static void start() {
        started = Instant.now();
        dir = PipelineStack.tempDir();
        etcd = EtcdServer.start(dir.resolve("etcd-healthy"));
        for (int i = 0; i < 20; i++) {
            etcd.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
        }
        stack = PipelineStack.start(dir);
        topics = TopicRecorder.fromBeginning(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED, Topics.SNAPSHOTS_REPLICATED, Topics.SNAPSHOTS_PRUNED,
                Topics.FAILURES);
        Map<String, ObjectStore> regions = new LinkedHashMap<>();
        regions.put(PRIMARY, PipelineStack.store(PRIMARY));
        regions.put(SECONDARY, PipelineStack.store(SECONDARY));
        invariants = new PipelineInvariants(PRIMARY, regions, topics);
        invariants.cluster(HEALTHY, true, List.of(SECONDARY));
        stack.register(HEALTHY, "{\"endpoints\":[\"" + etcd.clientUrl() + "\"],\"schedule\":\"0 3 * * *\","
                + "\"replicateTo\":[\"" + SECONDARY + "\"]}");
        System.out.printf("pipeline up in %d s%n", Duration.between(started, Instant.now()).toSeconds());
    }

    @AfterAll
    static void stop() {
        System.out.printf("settled after each fault: %s; whole suite %d s%n", settled,
                Duration.between(started, Instant.now()).toSeconds());
        if (topics != null) {
            System.out.println("events: " + invariants.summary());
            topics.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void judge(TestInfo test) {
        String fault = test.getTestMethod().orElseThrow().getName();
        try {
            settled.put(fault, invariants.awaitHolding(fault, SETTLE));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + stack.tails(), e);
        }
    }

    @Test
    @Order(1)
    void noFault() {
        String id = snapshot(HEALTHY);
        topics.awaitEvents(SnapshotVerified.class, HEALTHY, 1, SETTLE);
        assertThat(topics.events(SnapshotVerified.class, HEALTHY)).extracting(SnapshotVerified::snapshotId).contains(id);
    }

    @Test
    @Order(2)
    void verifierKilledMidVerification() {
        ObjectStore primary = PipelineStack.store(PRIMARY);
        String id = snapshot(HEALTHY);
        String claim = SnapshotLayout.verificationClaimKey(HEALTHY, id);
        Awaitility.await("the verifier claims " + id).atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> primary.stat(claim).isPresent());
        stack.kill(PipelineStack.VERIFIER);
        boolean midWork = primary.stat(SnapshotLayout.verificationKey(HEALTHY, id)).isEmpty()
                && primary.stat(SnapshotLayout.verificationFailedKey(HEALTHY, id)).isEmpty();
        System.out.printf("verifier killed %s the verdict of %s%n", midWork ? "before" : "after", id);
        stack.restart(PipelineStack.VERIFIER);
    }

    @Test
    @Order(3)
    void secondaryRegionDownWhileSnapshotsAreVerified() {
        Instant down = Instant.now();
        LifeboatInfrastructure.servers().secondary().stop();
        invariants.excuse("the secondary region is down", f -> SECONDARY.equals(f.region())
                && f.reason() == FailureReason.STORE_UNAVAILABLE && !f.time().isBefore(down));
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String id = snapshot(HEALTHY);
                ids.add(id);
                Awaitility.await(id + " verified").atMost(SETTLE).until(() -> topics.events(SnapshotVerified.class, HEALTHY)
                        .stream().anyMatch(v -> v.snapshotId().equals(id)));
            }
        } finally {
            LifeboatInfrastructure.servers().secondary().start();
        }
        System.out.printf("secondary down for %d s while %s were taken and verified%n",
                Duration.between(down, Instant.now()).toSeconds(), ids);
    }

    /** Takes a snapshot now and tells the judge it was accepted. */
    private static String snapshot(String clusterId) {
        String id = Awaitility.await("a snapshot of " + clusterId + " accepted").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> stack.snapshotNow(clusterId), s -> true);
        invariants.requested(clusterId, id);
        return id;
    }
}
