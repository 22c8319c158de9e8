package dev.lifeboat.retention.freshness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

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
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.retention.AdjustableClock;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;

/**
 * A watchdog stopped and started again (a new watchdog with a new reader of the real failure
 * topic, nothing kept in memory between the two): a STALE_BACKUP that lasts over the restart is not
 * raised as a new episode but repeated at the usual rate, and one that cleared while the watchdog
 * was down gets its resolve.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class WatchdogRestartIT {
    @Inject
    ClusterRegistry registry;
    @Inject
    EventPublisher publisher;
    @Inject
    RetentionMetrics metrics;
    @Inject
    RetentionConfig config;
    @Inject
    Regions regions;
    @Inject
    AdjustableClock clock;
    @Inject
    KafkaClientConfig kafka;

    private List<String> watched = List.of();

    @AfterEach
    void systemTime() {
        clock.reset();
    }

    @Test
    void episodesOutliveARestart() throws Exception {
        String lasting = "restart-lasting-" + Long.toString(System.nanoTime() % 100_000, 36);
        String cleared = "restart-cleared-" + Long.toString(System.nanoTime() % 100_000, 36);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        watched = List.of(lasting, cleared);
        for (String id : watched) {
            publisher.publish(new ClusterRegistered(id, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                    "0 * * * *", null, List.of(), null, Map.of()), base.minus(Duration.ofDays(1))));
            writeVerified(id, base.minus(Duration.ofHours(3)));          // 3 h old, RPO 2 h: stale
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(lasting).isPresent()
                && registry.get(cleared).isPresent());

        StaleBackupHistory before = history("before");
        check(watchdog(before), base);                                   // raises both
        before.close();                                                  // the service stops

        writeVerified(cleared, base.plus(Duration.ofMinutes(5)));       // cleared while nobody watched

        FreshnessWatchdog after = watchdog(history("after"));           // and starts again
        check(after, base.plus(Duration.ofMinutes(10)));                 // lasting: no new attempt 1; cleared: resolved
        check(after, base.plus(Duration.ofMinutes(15)));                 // lasting: repeated after repeat-every

        try (TopicRecorder failures = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.FAILURES)) {
            assertThat(events(failures, lasting, 2))
                    .extracting(BackupFailed::resolved, BackupFailed::attempt, BackupFailed::time)
                    .containsExactly(tuple(false, 1, base), tuple(false, 2, base.plus(Duration.ofMinutes(15))));
            assertThat(events(failures, cleared, 2))
                    .extracting(BackupFailed::resolved, BackupFailed::attempt, BackupFailed::time)
                    .containsExactly(tuple(false, 1, base), tuple(true, 1, base.plus(Duration.ofMinutes(10))));
        }
    }

    private static List<BackupFailed> events(TopicRecorder failures, String clusterId, int count) {
        failures.awaitCount(TopicRecorder.keyed(clusterId), count, Duration.ofSeconds(30));
        return failures.drain(TopicRecorder.keyed(clusterId), Duration.ofSeconds(1)).stream()
                .map(r -> (BackupFailed) CloudEventCodec.decode(r)).toList();
    }

    private StaleBackupHistory history(String name) throws InterruptedException {
        return new StaleBackupHistory(kafka, config, clock, "restart-it-" + name).startCaughtUp(Duration.ofSeconds(60));
    }

    private FreshnessWatchdog watchdog(StaleBackupHistory history) {
        return new FreshnessWatchdog(registry, regions, publisher, metrics, clock, config, history, watched::contains);
    }

    private void check(FreshnessWatchdog watchdog, Instant at) {
        clock.set(at);
        watchdog.check(at);
    }

    private void writeVerified(String clusterId, Instant takenAt) {
        SyntheticSnapshots.write(new SyntheticSnapshots.Written(regions.get(LifeboatInfrastructure.PRIMARY), clusterId,
                SnapshotIds.newSnapshotId(takenAt), takenAt, true, true));
    }
}
