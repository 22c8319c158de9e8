package dev.lifeboat.retention.freshness;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

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
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.retention.AdjustableClock;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.TokenMinter;

/**
 * The watchdog against the real Kafka topic {@link Topics#FAILURES}: raises STALE_BACKUP when the
 * newest verified snapshot outgrows the RPO, repeats it at a bounded rate, resolves it when a
 * fresh verified snapshot appears. Time is driven through the clock, never waited for.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class FreshnessWatchdogIT {
    private static final String HOURLY = "freshness-hourly-it";
    private static final String NEVER_BACKED_UP = "freshness-new-it";
    private static final String ON_DEMAND = "freshness-on-demand-it";

    @Inject
    FreshnessWatchdog watchdog;
    @Inject
    EventPublisher publisher;
    @Inject
    ClusterRegistry registry;
    @Inject
    Regions regions;
    @Inject
    AdjustableClock clock;

    @AfterEach
    void systemTime() {
        clock.reset();
    }

    @Test
    void raisesRepeatsAndResolvesStaleBackups() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        register(HOURLY, "0 * * * *", null, base.minus(Duration.ofDays(1)));
        register(NEVER_BACKED_UP, "0 * * * *", null, base);
        register(ON_DEMAND, null, null, base.minus(Duration.ofDays(30)));
        await("the registrations").atMost(Duration.ofSeconds(30))
                .until(() -> registry.get(HOURLY).isPresent() && registry.get(NEVER_BACKED_UP).isPresent()
                && registry.get(ON_DEMAND).isPresent());
        // a GitOps re-PUT of the same schedule at +70 min keeps the first-backup deadline (F-W2)
        publisher.publish(new ClusterRegistered(NEVER_BACKED_UP, new ClusterSpec(List.of("http://127.0.0.1:2379"),
                null, "0 * * * *", null, List.of(), null, Map.of()), base.plus(Duration.ofMinutes(70)), null, base));
        await("the re-PUT").atMost(Duration.ofSeconds(30))
                .until(() -> registry.registration(NEVER_BACKED_UP).map(r -> r.updatedAt().equals(
                base.plus(Duration.ofMinutes(70)))).orElse(false));
        ObjectStore primary = regions.get(LifeboatInfrastructure.PRIMARY);
        writeVerified(primary, HOURLY, base.minus(Duration.ofMinutes(30)));

        try (TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            check(base);                                                    // 30 min old, RPO 2 h: fresh
            check(base.plus(Duration.ofMinutes(80)));                       // new cluster: first due +1 h, grace 15 min
            check(base.plus(Duration.ofMinutes(3 * 60)));                   // 3 h 30 old: stale -> raise #1
            check(base.plus(Duration.ofMinutes(3 * 60 + 5)));               // within 15 min: no repeat
            check(base.plus(Duration.ofMinutes(3 * 60 + 15)));              // repeat #2
            writeVerified(primary, HOURLY, base.plus(Duration.ofMinutes(3 * 60 + 16)));
            check(base.plus(Duration.ofMinutes(3 * 60 + 20)));              // fresh again -> resolved
            check(base.plus(Duration.ofMinutes(3 * 60 + 40)));              // stays fresh: nothing
            failures.readToEnd();

            List<BackupFailed> hourly = failures.events(BackupFailed.class, HOURLY);
            assertThat(hourly).extracting(BackupFailed::resolved, BackupFailed::attempt, BackupFailed::time)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(false, 1, base.plus(Duration.ofMinutes(180))),
                            org.assertj.core.groups.Tuple.tuple(false, 2, base.plus(Duration.ofMinutes(195))),
                            org.assertj.core.groups.Tuple.tuple(true, 2, base.plus(Duration.ofMinutes(200))));
            assertThat(hourly).allSatisfy(f -> {
                assertThat(f.stage()).isEqualTo(Stage.FRESHNESS);
                assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(f.reason()).isEqualTo(FailureReason.STALE_BACKUP);
                assertThat(f.region()).isEqualTo(LifeboatInfrastructure.PRIMARY);
            });
            assertThat(hourly.get(0).message()).contains("is 3 h 30 min old, RPO is 2 h");

            // never backed up: stale once past its first scheduled run (+1 h) and the first-backup grace
            List<BackupFailed> fresh = failures.events(BackupFailed.class, NEVER_BACKED_UP);
            assertThat(fresh).isNotEmpty();
            assertThat(fresh.get(0).time()).isEqualTo(base.plus(Duration.ofMinutes(80)));
            assertThat(fresh.get(0).message()).contains("no verified snapshot at all");
            assertThat(fresh).noneMatch(BackupFailed::resolved);

            assertThat(failures.events(BackupFailed.class, ON_DEMAND)).as("on-demand, no RPO: not watched").isEmpty();
        }

        given().auth().oauth2(TokenMinter.metricsToken()).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lifeboat_newest_verified_snapshot_age_seconds{cluster=\"" + HOURLY
                        + "\",region=\"primary\"}"))
                .body(containsString("lifeboat_cluster_rpo_seconds{cluster=\"" + HOURLY + "\"} 7200.0"))
                .body(not(containsString("lifeboat_newest_verified_snapshot_age_seconds{cluster=\"" + HOURLY
                        + "\",region=\"secondary\"}")))    // replicated nowhere: no series, no alert
                .body(not(containsString("lifeboat_newest_verified_snapshot_age_seconds{cluster=\"" + ON_DEMAND)))
                .body(not(containsString("lifeboat_cluster_rpo_seconds{cluster=\"" + ON_DEMAND)));
    }

    @Test
    void aDeregisteredClusterIsWatchedWhileItsSnapshotsRemainUntilAnAdminConfirms() {
        String retired = "freshness-retired-it";
        String retiredEmpty = "freshness-retired-empty-it";
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        ClusterSpec hourly = new ClusterSpec(List.of("http://127.0.0.1:2379"), null, "0 * * * *", null, List.of(),
                null, Map.of());
        publisher.publish(new ClusterRegistered(retired, hourly, base.minus(Duration.ofDays(2)),
                new ClusterRegistered.Retirement(base.minus(Duration.ofDays(1)), "alice")));
        publisher.publish(new ClusterRegistered(retiredEmpty, hourly, base.minus(Duration.ofDays(2)),
                new ClusterRegistered.Retirement(base.minus(Duration.ofDays(1)), "alice")));
        await("the retired registrations").atMost(Duration.ofSeconds(30))
                .until(() -> registry.retired().containsKey(retired) && registry.retired().containsKey(retiredEmpty));
        assertThat(registry.get(retired)).as("not registered any more").isEmpty();
        writeVerified(regions.get(LifeboatInfrastructure.PRIMARY), retired, base.minus(Duration.ofHours(5)));

        try (TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            check(base);                                             // 5 h old, RPO 2 h: stale although deregistered
            publisher.tombstone(Topics.CLUSTERS, retired);           // an admin confirms: DELETE ?intended=true
            await("the tombstone").atMost(Duration.ofSeconds(30))
                    .until(() -> !registry.retired().containsKey(retired));
            check(base.plus(Duration.ofMinutes(30)));                // not watched any more: no repeat
            failures.readToEnd();
            List<BackupFailed> raised = failures.events(BackupFailed.class, retired);
            assertThat(raised).hasSize(1);
            assertThat(raised.get(0).reason()).isEqualTo(FailureReason.STALE_BACKUP);
            assertThat(raised.get(0).resolved()).isFalse();
            assertThat(raised.get(0).message()).contains("5 h", "deregistered");
            assertThat(failures.events(BackupFailed.class, retiredEmpty)).as("no snapshots left: nothing to watch")
                    .isEmpty();
        }
    }

    @Test
    void anUnreadableRegionKeepsItsEpisodeAndAnOutageLongerThanTheRpoIsStale() {
        String clusterId = "freshness-outage-it";
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        publisher.publish(new ClusterRegistered(clusterId, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                "0 * * * *", null, List.of(LifeboatInfrastructure.SECONDARY), null, Map.of()),
                base.minus(Duration.ofDays(1))));
        await("the registration").atMost(Duration.ofSeconds(30))
                .until(() -> registry.get(clusterId).isPresent());
        ObjectStore secondary = regions.get(LifeboatInfrastructure.SECONDARY);
        writeVerified(secondary, clusterId, base.minus(Duration.ofHours(3)));
        S3Server secondaryServer = LifeboatInfrastructure.servers().secondary();

        try (TopicRecorder failures = TopicRecorder.fromEnd(kafka(), Topics.FAILURES)) {
            try {
                check(base);                                              // 3 h old, RPO 2 h: raise #1
                secondaryServer.stop();
                check(base.plus(Duration.ofMinutes(5)));                  // unreadable: nothing, episode kept
                check(base.plus(Duration.ofMinutes(16)));                 // still unreadable: no new attempt 1
                secondaryServer.start();
                writeVerified(secondary, clusterId, base.plus(Duration.ofMinutes(17)));
                check(base.plus(Duration.ofMinutes(20)));                 // fresh again: the resolve is not lost
                secondaryServer.stop();
                check(base.plus(Duration.ofMinutes(30)));                 // the outage begins
                check(base.plus(Duration.ofMinutes(30 + 120)));           // exactly the RPO: not yet
                check(base.plus(Duration.ofMinutes(30 + 121)));           // longer than the RPO: stale
            } finally {
                secondaryServer.start();
            }
            failures.readToEnd();
            List<BackupFailed> inSecondary = failures.events(BackupFailed.class, clusterId).stream()
                    .filter(f -> LifeboatInfrastructure.SECONDARY.equals(f.region())).toList();
            assertThat(inSecondary).extracting(BackupFailed::resolved, BackupFailed::attempt, BackupFailed::time)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(false, 1, base),
                            org.assertj.core.groups.Tuple.tuple(true, 1, base.plus(Duration.ofMinutes(20))),
                            org.assertj.core.groups.Tuple.tuple(false, 1, base.plus(Duration.ofMinutes(151))));
            assertThat(inSecondary.get(2).message()).contains("region secondary cannot be read since "
                    + base.plus(Duration.ofMinutes(30)));
            assertThat(inSecondary).allSatisfy(f -> assertThat(f.reason()).isEqualTo(FailureReason.STALE_BACKUP));
        }
    }

    private void check(Instant at) {
        clock.set(at);
        watchdog.check(at);
    }

    private void register(String clusterId, String schedule, Integer rpoMinutes, Instant at) {
        // replicated nowhere: the watchdog looks at the primary only
        publisher.publish(new ClusterRegistered(clusterId, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                schedule, null, List.of(), rpoMinutes, Map.of()), at));
    }

    private static void writeVerified(ObjectStore store, String clusterId, Instant takenAt) {
        String id = SnapshotIds.newSnapshotId(takenAt);
        SyntheticSnapshots.write(new SyntheticSnapshots.Written(store, clusterId, id, takenAt, true, true));
    }

    private static String kafka() {
        return LifeboatInfrastructure.servers().kafka().bootstrapServers();
    }
}
