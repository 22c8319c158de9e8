package dev.lifeboat.retention.pruning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.Topics;
import dev.lifeboat.retention.AdjustableClock;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.retention.SyntheticSnapshots.Written;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.kit.retention.RetentionPolicies;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.common.retention.Action;
import dev.lifeboat.common.retention.RetentionModel;
import dev.lifeboat.common.retention.RetentionPolicy;
import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TokenMinter;

/**
 * A year of snapshots every 12 hours in two real S3 regions with different policies (the
 * cluster's own in the primary, a configured override in the secondary): the plan the API shows
 * equals the model, deletion leaves exactly the kept set, and a crash between manifest and data
 * deletion is cleaned up by a later run once past the grace period.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class RetentionAcrossRegionsIT {
    private static final String CLUSTER = "retention-year-it";
    private static final int SNAPSHOTS = 730;
    private static final ClusterSpec.RetentionSpec CLUSTER_POLICY =
            new ClusterSpec.RetentionSpec(10, 6, 14, 8, 6, null, null);
    /** As configured for the secondary region in application.properties (test profile). */
    private static final RetentionPolicy SECONDARY_POLICY = new RetentionPolicy(20, 0, 30, 0, 12, 1, 0);

    @Inject
    Regions regions;
    @Inject
    EventPublisher publisher;
    @Inject
    ClusterRegistry registry;
    @Inject
    RetentionRunner runner;
    @Inject
    RetentionConfig config;
    @Inject
    RetentionPolicies policies;
    @Inject
    AdjustableClock clock;

    @AfterEach
    void systemTime() {
        clock.reset();
    }

    @Test
    void aYearOfSnapshotsIsPrunedToExactlyWhatThePoliciesKeep() throws Exception {
        publisher.publish(new ClusterRegistered(CLUSTER, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                null, CLUSTER_POLICY, null, null, Map.of()), Instant.now()));
        await("the registration").atMost(Duration.ofSeconds(30))
                .until(() -> registry.get(CLUSTER).isPresent());

        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(30));
        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        ObjectStore secondary = regions.get(LifeboatInfrastructure.SECONDARY);
        List<Written> writes = new ArrayList<>();
        Set<String> verified = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < SNAPSHOTS; k++) {
            Instant takenAt = now.minus(Duration.ofHours(1 + 12L * k)).plusSeconds(k % 60);
            String id = SnapshotIds.newSnapshotId(takenAt);
            ids.add(id);
            boolean isVerified = k % 5 != 3 && k != 0; // the newest is not verified yet; some never were
            if (isVerified) {
                verified.add(id);
            }
            writes.add(new Written(primary, CLUSTER, id, takenAt, true, isVerified));
            if (k >= 2) { // the two newest are not replicated yet
                // the verification file is not always copied: verified anywhere counts everywhere
                writes.add(new Written(secondary, CLUSTER, id, takenAt, true, isVerified && k % 7 != 0));
            }
        }
        // incomplete leftovers of interrupted uploads, old by name but just written
        String leftover = SnapshotIds.newSnapshotId(now.minus(Duration.ofDays(100)));
        writes.add(new Written(primary, CLUSTER, leftover, SnapshotIds.timeOf(leftover), false, false));
        long started = System.nanoTime();
        SyntheticSnapshots.write(writes);
        System.out.printf("wrote %d synthetic snapshots in 2 regions in %d ms%n", writes.size(),
                (System.nanoTime() - started) / 1_000_000);
        Instant writtenAt = Instant.now();
        clock.set(now);

        // the plan the API shows equals the model, in both regions
        RetentionPolicy primaryPolicy = RetentionPolicy.of(CLUSTER_POLICY);
        Map<String, RetentionModel.Verdict> primaryModel = RetentionModel.decide(facts(ids, verified, 0,
                Set.of(leftover), writtenAt), primaryPolicy, now, policies.grace());
        Map<String, RetentionModel.Verdict> secondaryModel = RetentionModel.decide(facts(ids, verified, 2, Set.of(),
                writtenAt), SECONDARY_POLICY, now, policies.grace());
        assertThat(apiPlan(LifeboatInfrastructure.PRIMARY, "cluster")).isEqualTo(primaryModel);
        assertThat(apiPlan(LifeboatInfrastructure.SECONDARY, "region:secondary")).isEqualTo(secondaryModel);
        assertThat(primaryModel.values()).filteredOn(v -> v.action() == Action.PRUNE).hasSizeGreaterThan(600);
        assertThat(primaryModel.get(leftover).action()).isEqualTo(Action.KEEP); // may still be uploading

        // a dry run (the configured default) deletes nothing
        assertThat(config.dryRun()).isTrue();
        int objectsBefore = primary.list(SnapshotLayout.clusterPrefix(CLUSTER)).size();
        runner.run(CLUSTER);
        assertThat(primary.list(SnapshotLayout.clusterPrefix(CLUSTER))).hasSize(objectsBefore);

        // a crashed earlier run: the manifest of a snapshot to prune is gone, its other objects not
        String crashed = pruned(primaryModel).get(100);
        primary.delete(SnapshotLayout.manifestKey(CLUSTER, crashed));

        try (TopicRecorder prunedTopic = TopicRecorder.fromEnd(kafka(), Topics.SNAPSHOTS_PRUNED)) {
            started = System.nanoTime();
            runner.run(CLUSTER, false);
            System.out.printf("pruned both regions in %d ms%n", (System.nanoTime() - started) / 1_000_000);

            Set<String> expectedPrimary = new TreeSet<>(kept(primaryModel));
            expectedPrimary.add(crashed); // now a young leftover: kept until past the grace period
            assertThat(snapshotsIn(primary)).isEqualTo(expectedPrimary);
            assertThat(snapshotsIn(secondary)).isEqualTo(new TreeSet<>(kept(secondaryModel)));
            assertThat(complete(primary)).isEqualTo(new TreeSet<>(kept(primaryModel)).stream()
                    .filter(id -> !id.equals(leftover)).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));

            int prunedCount = pruned(primaryModel).size() - 1 + pruned(secondaryModel).size();
            List<SnapshotPruned> events = prunedTopic.awaitEvents(SnapshotPruned.class, CLUSTER, prunedCount,
                    Duration.ofSeconds(60));
            prunedTopic.readToEnd();
            assertThat(prunedTopic.events(SnapshotPruned.class, CLUSTER)).hasSize(prunedCount);
            assertThat(events).allSatisfy(e -> assertThat(e.reason()).startsWith("no rule keeps it"));
            assertThat(events).filteredOn(e -> e.region().equals(LifeboatInfrastructure.SECONDARY))
                    .hasSize(pruned(secondaryModel).size());
        }

        // the next run, past the grace period: the leftovers go, complete snapshots follow the model again
        Instant later = Instant.now().plus(policies.grace()).plus(Duration.ofMinutes(1));
        clock.set(later);
        Map<String, RetentionModel.Verdict> laterModel = RetentionModel.decide(
                facts(new ArrayList<>(complete(primary)), verified, 0, Set.of(), writtenAt), primaryPolicy, later,
                policies.grace());
        runner.run(CLUSTER, false);
        assertThat(snapshotsIn(primary)).isEqualTo(new TreeSet<>(kept(laterModel)))
                .doesNotContain(crashed, leftover);
        assertThat(snapshotsIn(primary)).contains(ids.get(1)); // the newest verified, whatever the clock
    }

    /** The region's snapshots as the model sees them; {@code skip} newest are absent. */
    private static List<SnapshotFacts> facts(List<String> ids, Set<String> verified, int skip, Set<String> leftovers,
                                             Instant writtenAt) {
        List<SnapshotFacts> out = new ArrayList<>();
        List<String> sorted = ids.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        for (String id : sorted.subList(skip, sorted.size())) {
            out.add(new SnapshotFacts(id, SnapshotIds.timeOf(id), true, verified.contains(id), writtenAt, 0));
        }
        for (String id : leftovers) {
            out.add(new SnapshotFacts(id, SnapshotIds.timeOf(id), false, false, writtenAt, 0));
        }
        return out;
    }

    private Map<String, RetentionModel.Verdict> apiPlan(String region, String expectedSource) {
        JsonPath json = given().auth().oauth2(TokenMinter.viewerToken()).queryParam("region", region)
                .when().get("/api/v1/clusters/{id}/retention", CLUSTER)
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("policySource")).isEqualTo(expectedSource);
        assertThat(json.getBoolean("dryRun")).isTrue();
        assertThat(json.getString("grace")).isEqualTo("PT2H");
        Map<String, RetentionModel.Verdict> out = new HashMap<>();
        List<Map<String, Object>> snapshots = json.getList("snapshots");
        for (Map<String, Object> s : snapshots) {
            @SuppressWarnings("unchecked")
            List<String> rules = (List<String>) s.get("rules");
            out.put((String) s.get("snapshotId"), new RetentionModel.Verdict(Action.valueOf((String) s.get("action")),
                    Set.copyOf(rules)));
        }
        return out;
    }

    private static List<String> kept(Map<String, RetentionModel.Verdict> model) {
        return new TreeMap<>(model).entrySet().stream().filter(e -> e.getValue().action() == Action.KEEP)
                .map(Map.Entry::getKey).toList();
    }

    private static List<String> pruned(Map<String, RetentionModel.Verdict> model) {
        return new TreeMap<>(model).entrySet().stream().filter(e -> e.getValue().action() == Action.PRUNE)
                .map(Map.Entry::getKey).toList();
    }

    /** Snapshot ids with any object left in the store. */
    private static Set<String> snapshotsIn(ObjectStore store) {
        String prefix = SnapshotLayout.clusterPrefix(CLUSTER);
        Set<String> out = new TreeSet<>();
        for (StoredObject o : store.list(prefix)) {
            out.add(o.key().substring(prefix.length(), o.key().indexOf('/', prefix.length())));
        }
        return out;
    }

    private static Set<String> complete(ObjectStore store) {
        String prefix = SnapshotLayout.clusterPrefix(CLUSTER);
        Set<String> out = new TreeSet<>();
        for (StoredObject o : store.list(prefix)) {
            if (o.key().endsWith("/" + SnapshotLayout.MANIFEST)) {
                out.add(o.key().substring(prefix.length(), o.key().indexOf('/', prefix.length())));
            }
        }
        return out;
    }

    private static String kafka() {
        return LifeboatInfrastructure.servers().kafka().bootstrapServers();
    }
}
