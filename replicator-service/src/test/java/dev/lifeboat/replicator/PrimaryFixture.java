package dev.lifeboat.replicator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.store.StoreFixtures;

/**
 * Plays the stages before the replicator: writes a verified snapshot into the primary the way the
 * snapshot and verifier services do (snapshot.db, verification.json, manifest.json last) and
 * publishes the {@code SnapshotVerified} event.
 */
public final class PrimaryFixture {
    /** Snapshot times start a month back, an hour apart: in the past whenever the tests run. */
    private static final AtomicLong CLOCK = new AtomicLong(
            Instant.now().minus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.HOURS).getEpochSecond());

    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    private PrimaryFixture() {}

    public static ObjectStore store(String region) {
        String endpoint = ThirdRegion.NAME.equals(region) ? ThirdRegion.server().endpoint()
                : LifeboatInfrastructure.servers().s3(region).endpoint();
        return Regions.open(Region.s3(region, endpoint, S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                LifeboatInfrastructure.BUCKET));
    }

    /** A unique cluster id for one test. */
    public static String clusterId(String name) {
        return name + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** A new snapshot id, later than every id made before it in this JVM (an hour apart). */
    public static String nextSnapshotId() {
        return SnapshotIds.newSnapshotId(Instant.ofEpochSecond(CLOCK.addAndGet(3600)));
    }

    /**
     * Writes the snapshot into the primary as verified; returns its manifest. A cluster the test
     * has not registered yet is registered first with the default targets (every secondary): the
     * replicator copies nothing for a cluster it does not know.
     */
    public static SnapshotManifest uploadVerified(String clusterId, String snapshotId, SnapshotFile file) {
        if (!REGISTERED.contains(clusterId)) {
            register(clusterId, null);
        }
        ObjectStore primary = store(LifeboatInfrastructure.PRIMARY);
        primary.ensureBucket();
        SnapshotManifest manifest = StoreFixtures.manifest(clusterId, snapshotId)
                .revision(51).trigger("SCHEDULE").durationMillis(12)
                .storedAsIs(file.size(), file.sha256())
                .build();
        StoreFixtures.writeObject(primary, manifest, file.file());
        StoreFixtures.writeVerification(primary, manifest, verified(clusterId, snapshotId, file));
        StoreFixtures.writeManifest(primary, manifest);
        return manifest;
    }

    public static SnapshotVerified verified(String clusterId, String snapshotId, SnapshotFile file) {
        return new SnapshotVerified(clusterId, snapshotId, LifeboatInfrastructure.PRIMARY, file.sha256(),
                new SnapshotVerified.Status(1, 51, 60, file.size()), 51, 0, "3.4.0", List.of("8e9e05c52164694d"),
                null, null, Instant.now(), 5);
    }

    public static EventPublisher publisher() {
        return Holder.PUBLISHER;
    }

    /** Registers the cluster with {@code replicateTo} (null = every secondary). */
    public static void register(String clusterId, List<String> replicateTo) {
        REGISTERED.add(clusterId);
        ClusterSpec spec = new ClusterSpec(List.of("http://127.0.0.1:2379"), null, null, null, replicateTo, null,
                Map.of());
        publisher().publish(new ClusterRegistered(clusterId, spec, Instant.now()));
    }

    private static final class Holder {
        static final EventPublisher PUBLISHER = new EventPublisher(
                KafkaClientConfig.bootstrap(LifeboatInfrastructure.servers().kafka().bootstrapServers()), "replicator-tests", Duration.ofSeconds(30));
    }
}
