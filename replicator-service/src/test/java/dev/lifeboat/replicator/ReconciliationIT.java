package dev.lifeboat.replicator;

import static dev.lifeboat.replicator.PrimaryFixture.clusterId;
import static dev.lifeboat.replicator.PrimaryFixture.nextSnapshotId;
import static dev.lifeboat.replicator.PrimaryFixture.publisher;
import static dev.lifeboat.replicator.PrimaryFixture.store;
import static dev.lifeboat.replicator.PrimaryFixture.uploadVerified;
import static dev.lifeboat.replicator.PrimaryFixture.verified;
import static dev.lifeboat.replicator.ReplicationIT.SECONDARY;
import static dev.lifeboat.replicator.ReplicationIT.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.Stage;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.replicator.reconciliation.Reconciliation;
import dev.lifeboat.replicator.reconciliation.ReconciliationReport;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class ReconciliationIT {
    static final int SNAPSHOTS = 10;
    static final int PER_RUN = 6; // lifeboat.replicator.reconcile.max-copies-per-run in the test profile

    @Inject
    ClusterRegistry registry;

    @Inject
    Reconciliation reconciliation;

    @BeforeAll
    static void readEvents() {
        EventLog.start();
    }

    @Test
    void regionThatMissedManySnapshotsCatchesUpNewestFirst() throws IOException {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("gap");
        PrimaryFixture.register(cluster, List.of(SECONDARY));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(cluster).isPresent());
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; i < SNAPSHOTS; i++) {
            String id = nextSnapshotId();
            uploadVerified(cluster, id, file);
            snapshots.add(id);
        }
        snapshots.sort(Comparator.reverseOrder());

        S3Server secondary = LifeboatInfrastructure.servers().secondary();
        secondary.stop();
        try {
            java.time.Instant published = java.time.Instant.now();
            for (String id : snapshots) {
                publisher().publish(verified(cluster, id, file));
            }
            // every event retries until it gives up, and says so
            await().atMost(Duration.ofSeconds(120)).until(() -> EventLog.failures(cluster).size() == SNAPSHOTS);
            assertThat(EventLog.failures(cluster)).allSatisfy(f -> {
                assertThat(f.stage()).isEqualTo(Stage.REPLICATE);
                assertThat(f.reason()).isEqualTo(FailureReason.STORE_UNAVAILABLE);
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.region()).isEqualTo(SECONDARY);
                // retried for the whole budget (lifeboat.replicator.retry.budget=PT40S in tests; the last
                // wait, at most max-backoff=PT2S, would have gone past it), not after a count of attempts
                assertThat(Duration.between(published, f.time())).isGreaterThanOrEqualTo(Duration.ofSeconds(38));
                // how many attempts fit in the budget depends on how long each takes on this machine
                // (9 to 10 under a heavy load, more when idle): that it retried is what counts here
                assertThat(f.attempt()).isGreaterThan(1);
                assertThat(f.message()).contains("attempt(s) in");
            }).extracting(BackupFailed::snapshotId).containsExactlyInAnyOrderElementsOf(snapshots);

            ReconciliationReport whileDown = reconciliation.reconcile();
            assertThat(whileDown.unreachableRegions()).contains(SECONDARY);
        } finally {
            secondary.start();
        }
        assertThat(metrics()).containsPattern("lifeboat_replicator_lag_seconds\\{cluster=\"" + cluster
                + "\",region=\"" + SECONDARY + "\"} [1-9]");

        reconciliation.reconcile();
        assertThat(completeIn(SECONDARY, cluster)).containsExactlyElementsOf(snapshots.subList(0, PER_RUN));
        assertThat(metrics()).contains("lifeboat_replicator_lag_seconds{cluster=\"" + cluster + "\",region=\""
                + SECONDARY + "\"} 0.0");

        reconciliation.reconcile();
        assertThat(completeIn(SECONDARY, cluster)).containsExactlyElementsOf(snapshots);
        ObjectStore copy = store(SECONDARY);
        for (String id : snapshots) {
            try (InputStream in = copy.get(SnapshotLayout.objectKey(cluster, id, SnapshotEncoding.IDENTITY))) {
                assertThat(EtcdSnapshots.sha256(in)).isEqualTo(file.sha256());
            }
        }
        assertThat(EventLog.replicated(cluster)).hasSize(SNAPSHOTS);
        assertThat(EventLog.failures(cluster)).hasSize(SNAPSHOTS); // nothing more went wrong
    }

    /**
     * The tertiary region keeps the newest 3 ({@code lifeboat.retention.regions.tertiary.keep-last=3} in
     * the test profile, the same key the retention-service reads). Reconciliation copies those 3 and
     * none of the older ones, which that region's retention would only delete again; a second run
     * still copies nothing more.
     */
    @Test
    void aRegionThatKeepsLessGetsOnlyWhatItsRetentionKeeps() {
        SnapshotFile file = EtcdSnapshots.withValue("v1");
        String cluster = clusterId("keeps-less");
        PrimaryFixture.register(cluster, List.of(ThirdRegion.NAME));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(cluster).isPresent());
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = nextSnapshotId();
            uploadVerified(cluster, id, file);
            snapshots.add(id);
        }
        snapshots.sort(Comparator.reverseOrder());
        List<String> kept = snapshots.subList(0, 3);
        List<String> pruned = snapshots.subList(3, snapshots.size());

        ReconciliationReport first = reconciliation.reconcile();
        assertThat(first.prunedByTarget()).isGreaterThanOrEqualTo(pruned.size());
        assertThat(completeIn(ThirdRegion.NAME, cluster)).containsExactlyElementsOf(kept);
        assertThat(snapshotsWithObjectsIn(ThirdRegion.NAME, cluster)).containsExactlyInAnyOrderElementsOf(kept);

        reconciliation.reconcile();
        assertThat(snapshotsWithObjectsIn(ThirdRegion.NAME, cluster)).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(completeIn(LifeboatInfrastructure.PRIMARY, cluster)).containsExactlyElementsOf(snapshots);
        await().atMost(Duration.ofSeconds(30)).until(() -> EventLog.replicated(cluster).size() == kept.size());
        assertThat(EventLog.replicated(cluster)).extracting(e -> e.snapshotId())
                .containsExactlyInAnyOrderElementsOf(kept);
        assertThat(EventLog.failures(cluster)).isEmpty();
    }

    /** Ids of the snapshots that have any object at all in the region: nothing of a skipped one is written. */
    private static Set<String> snapshotsWithObjectsIn(String region, String cluster) {
        String prefix = SnapshotLayout.clusterPrefix(cluster);
        return store(region).list(prefix).stream()
                .map(o -> o.key().substring(prefix.length(), o.key().indexOf('/', prefix.length())))
                .collect(Collectors.toSet());
    }

    private static List<String> completeIn(String region, String cluster) {
        return new SnapshotCatalog(store(region)).complete(cluster).stream()
                .filter(CatalogEntry::verified).map(CatalogEntry::snapshotId).toList();
    }
}
