package dev.lifeboat.retention.freshness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.config.LifeboatConfig;
import dev.lifeboat.kit.config.RegionsProducer;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.metrics.RetentionMetrics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;

/**
 * What one watchdog pass costs in store requests, counted on the way to the real S3 servers: at
 * most two listings per watched cluster and region (the recent window, and the whole history only
 * where the window holds no verified snapshot), so at most 3 × clusters × regions whatever the
 * history, and the same count when every history doubles.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class WatchdogStoreRequestsIT {
    private static final Logger LOG = Logger.getLogger(WatchdogStoreRequestsIT.class);
    private static final int CLUSTERS = 10;
    private static final int STALE = 3;
    private static final int HISTORY = 20;

    @Inject
    ClusterRegistry registry;
    @Inject
    EventPublisher publisher;
    @Inject
    RetentionConfig config;
    @Inject
    LifeboatConfig lifeboat;
    @Inject
    Clock clock;
    @Inject
    KafkaClientConfig kafka;

    /** The service's regions, every request counted (not a bean: made by the test). */
    @Vetoed
    static final class CountingRegions extends Regions {
        private final Map<String, CountingObjectStore> counting = new TreeMap<>();

        CountingRegions(LifeboatConfig config) {
            super(config.primaryRegion(), RegionsProducer.configured(config));
            super.names().forEach(n -> counting.put(n, new CountingObjectStore(super.get(n))));
        }

        @Override
        public ObjectStore get(String name) {
            return counting.get(name);
        }

        @Override
        public ObjectStore primary() {
            return counting.get(primaryName());
        }

        int total() {
            return counting.values().stream().mapToInt(CountingObjectStore::total).sum();
        }

        /** Requests per (cluster, region) for clusters whose id starts with {@code idPrefix}. */
        Map<String, Integer> byCluster(String idPrefix) {
            Map<String, Integer> out = new TreeMap<>();
            counting.forEach((region, store) -> store.requests().forEach((key, n) -> {
                if (key.startsWith(SnapshotLayout.ROOT + idPrefix)) {
                    String cluster = key.substring(SnapshotLayout.ROOT.length()).split("/")[0];
                    out.merge(cluster + "/" + region, n, Integer::sum);
                }
            }));
            return out;
        }

        void reset() {
            counting.values().forEach(CountingObjectStore::reset);
        }
    }

    @Test
    void aPassCostsAtMostThreeRequestsPerClusterAndRegionWhateverTheHistory() throws Exception {
        String prefix = "wd-cost-" + Long.toString(System.nanoTime() % 100_000, 36) + "-";
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        CountingRegions regions = new CountingRegions(lifeboat);
        List<String> clusters = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            String id = prefix + i;
            clusters.add(id);
            publisher.publish(new ClusterRegistered(id, new ClusterSpec(List.of("http://127.0.0.1:2379"), null,
                    "0 * * * *", null, List.of(LifeboatInfrastructure.SECONDARY), null, Map.of()),
                    base.minus(Duration.ofDays(30))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clusters.stream().allMatch(c -> registry.get(c).isPresent()));
        // hourly histories in both regions; the first STALE clusters' newest is 5 h old (RPO 2 h)
        writeHistory(regions, clusters, base, 0, HISTORY);
        // the test's own meters: the service's scheduled watchdog updates the bean's gauges meanwhile
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FreshnessWatchdog watchdog = new FreshnessWatchdog(registry, regions, publisher,
                new RetentionMetrics(meters, clock), clock, config,
                new StaleBackupHistory(kafka, config, clock, "watchdog-cost-it").startCaughtUp(Duration.ofSeconds(60)),
                clusters::contains);

        regions.reset();
        watchdog.check(base);
        Map<String, Integer> first = regions.byCluster(prefix);
        int pass = regions.total();
        double published = meters.get("lifeboat.retention.watchdog.pass.store.requests").gauge().value();
        double judged = meters.get("lifeboat.retention.watchdog.pass.clusters").gauge().value();
        int bound = 3 * CLUSTERS * regions.names().size();

        writeHistory(regions, clusters, base, HISTORY, 2 * HISTORY); // every history doubles
        regions.reset();
        watchdog.check(base.plus(Duration.ofMinutes(1)));
        Map<String, Integer> second = regions.byCluster(prefix);

        int catalogReads = 0;
        for (String region : regions.names()) {
            CountingObjectStore store = (CountingObjectStore) regions.get(region);
            store.reset();
            new SnapshotCatalog(store).entries(clusters.get(0));
            catalogReads += store.total();
        }
        LOG.infof("watchdog pass: %d store requests for %d clusters x %d regions (bound %d); "
                        + "%d cluster-regions of %d snapshots each: %s; reading one cluster's catalog in every region "
                        + "costs %d", pass, CLUSTERS, regions.names().size(),
                bound, first.size(), 2 * HISTORY, second, catalogReads);

        assertThat(pass).isLessThanOrEqualTo(bound);
        assertThat(published).as("the pass's own figure, as counted on the way to the stores").isEqualTo(pass);
        assertThat(judged).isEqualTo(CLUSTERS);
        assertThat(first).hasSize(2 * CLUSTERS);
        for (int i = 0; i < CLUSTERS; i++) {
            for (String region : regions.names()) {
                String key = clusters.get(i) + "/" + region;
                assertThat(first.get(key)).as(key).isEqualTo(i < STALE ? 2 : 1);
            }
        }
        assertThat(second).as("the same cost with twice the history").isEqualTo(first);
        assertThat(catalogReads).as("what reading the catalog would cost").isGreaterThan(4 * HISTORY);

        try (TopicRecorder failures = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.FAILURES)) {
            for (int i = 0; i < CLUSTERS; i++) {
                String id = clusters.get(i);
                if (i < STALE) {
                    var raised = failures.awaitCount(TopicRecorder.keyed(id), 2, Duration.ofSeconds(30));
                    assertThat(raised).map(r -> (BackupFailed) CloudEventCodec.decode(r))
                            .allSatisfy(f -> {
                                assertThat(f.reason()).isEqualTo(FailureReason.STALE_BACKUP);
                                assertThat(f.attempt()).isEqualTo(1);
                                assertThat(f.message()).contains("5 h 30 min old");
                            })
                            .extracting(BackupFailed::region)
                            .containsExactlyInAnyOrder(LifeboatInfrastructure.PRIMARY, LifeboatInfrastructure.SECONDARY);
                }
            }
            assertThat(failures.drain(r -> r.key() != null && r.key().startsWith(prefix), Duration.ofSeconds(1)))
                    .as("only the stale clusters, once per region").hasSize(2 * STALE);
        }
    }

    /** Hourly verified snapshots {@code from}..{@code to} hours before each cluster's newest, in both regions. */
    private static void writeHistory(Regions regions, List<String> clusters, Instant base, int from, int to)
            throws Exception {
        List<SyntheticSnapshots.Written> written = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
            Instant newest = base.minus(i < STALE ? Duration.ofMinutes(330) : Duration.ofMinutes(30));
            for (int h = from; h < to; h++) {
                Instant at = newest.minus(Duration.ofHours(h));
                String id = SnapshotIds.newSnapshotId(at);
                for (String region : regions.names()) {
                    written.add(new SyntheticSnapshots.Written(((CountingObjectStore) regions.get(region)),
                            clusters.get(i), id, at, true, true));
                }
            }
        }
        SyntheticSnapshots.write(written);
    }
}
