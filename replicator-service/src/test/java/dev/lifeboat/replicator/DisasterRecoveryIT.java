package dev.lifeboat.replicator;

import static dev.lifeboat.replicator.PrimaryFixture.clusterId;
import static dev.lifeboat.replicator.PrimaryFixture.nextSnapshotId;
import static dev.lifeboat.replicator.PrimaryFixture.publisher;
import static dev.lifeboat.replicator.PrimaryFixture.uploadVerified;
import static dev.lifeboat.replicator.PrimaryFixture.verified;
import static dev.lifeboat.replicator.ReplicationIT.SECONDARY;
import static dev.lifeboat.replicator.ReplicationIT.awaitReplicated;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.common.etcd.EtcdLaunch;
import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.replicator.EtcdSnapshots.SnapshotFile;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The point of a secondary region: with the primary gone, its store alone is enough to find the
 * newest verified snapshot of a cluster, check it, and restore it with etcdctl.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class DisasterRecoveryIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void readEvents() {
        EventLog.start();
    }

    @Test
    void newestVerifiedSnapshotIsFoundAndRestoredFromTheSecondaryAlone() throws Exception {
        SnapshotFile older = EtcdSnapshots.withValue("before-the-disaster");
        SnapshotFile newer = EtcdSnapshots.withValue("last-good-state");
        String cluster = clusterId("dr");
        String olderId = nextSnapshotId();
        String newerId = nextSnapshotId();
        uploadVerified(cluster, olderId, older);
        uploadVerified(cluster, newerId, newer);
        publisher().publish(verified(cluster, olderId, older));
        publisher().publish(verified(cluster, newerId, newer));
        awaitReplicated(cluster, olderId, SECONDARY);
        awaitReplicated(cluster, newerId, SECONDARY);

        S3Server primary = LifeboatInfrastructure.servers().primary();
        primary.stop(); // the primary region is gone; only the secondary's endpoint and keys are known
        try {
            ObjectStore secondary = Regions.open(Region.s3(SECONDARY,
                    LifeboatInfrastructure.servers().secondary().endpoint(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, LifeboatInfrastructure.BUCKET));

            CatalogEntry newest = new SnapshotCatalog(secondary).newestVerified(cluster).orElseThrow();
            assertThat(newest.snapshotId()).isEqualTo(newerId);

            Path db = dir.resolve("restore-me.db");
            try (InputStream in = secondary.get(SnapshotLayout.objectKey(cluster, newest.snapshotId(), SnapshotEncoding.IDENTITY))) {
                Files.copy(in, db);
            }
            assertThat(EtcdSnapshots.sha256(db)).isEqualTo(newest.manifest().sha256());

            Path dataDir = dir.resolve("restored");
            // restored the way the README tells an operator to, for the ports etcd then starts on
            try (EtcdProcess etcd = EtcdProcess.start(
                    EtcdLaunch.plain(EtcdServer.etcdBinary(), "dr", dataDir, dir.resolve("dr"), 2L << 30),
                    ports -> Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "restore", db.toString(),
                            "--name", "dr", "--data-dir", dataDir.toString(),
                            "--initial-cluster", "dr=" + ports.peerUrl(),
                            "--initial-advertise-peer-urls", ports.peerUrl())))) {
                String clientUrl = etcd.clientUrl();
                assertThat(Commands.run(List.of(EtcdServer.etcdctlBinary(), "--endpoints", clientUrl,
                        "--command-timeout", "2s", "endpoint", "health")).exitCode()).isZero();
                String value = Commands.check(List.of(EtcdServer.etcdctlBinary(), "--endpoints", clientUrl,
                        "get", EtcdSnapshots.KEY, "--print-value-only"));
                assertThat(value.trim()).isEqualTo("last-good-state");
                String secrets = Commands.check(List.of(EtcdServer.etcdctlBinary(), "--endpoints", clientUrl,
                        "get", "/registry/secrets/", "--prefix", "--keys-only"));
                assertThat(secrets.lines().filter(l -> !l.isBlank())).hasSize(50);
            }
        } finally {
            primary.start();
        }
    }
}
