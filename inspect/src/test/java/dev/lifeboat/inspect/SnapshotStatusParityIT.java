package dev.lifeboat.inspect;

import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.inspect.content.ContentSummary;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.content.KubernetesSamples;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java status equals {@code etcdctl snapshot status -w json} exactly, and the live keys, members
 * and compaction revision equal what the running etcd serves, on snapshots of real etcd servers.
 */
class SnapshotStatusParityIT {
    @TempDir
    Path dir;
    private EtcdServer etcd;
    private EtcdFiller filler;

    @BeforeEach
    void start() {
        etcd = EtcdServer.start(dir.resolve("etcd"));
        filler = new EtcdFiller(etcd);
    }

    @AfterEach
    void stop() {
        filler.close();
        etcd.close();
    }

    @Test
    void emptyServer() throws Exception {
        SnapshotInspection inspection = assertParity("empty.db");
        assertThat(inspection.status().revision()).isEqualTo(0);
        assertThat(inspection.liveKeys()).isZero();
        assertThat(inspection.members()).isEqualTo(EtcdOracle.members(etcd));
        assertThat(inspection.clusterVersion()).startsWith("3.4");
        assertThat(inspection.sample()).isEmpty();
    }

    @Test
    void hundredThousandSmallKeys() throws Exception {
        int count = 100_000;
        filler.putMany(count, i -> String.format("/small/%06d", i), i -> ("v" + i).getBytes(StandardCharsets.UTF_8));
        SnapshotInspection inspection = assertParity("small.db");
        assertThat(inspection.liveKeys()).isEqualTo(count);
        assertThat(inspection.sample()).hasSize(64);
        assertSampleServed(inspection.sample());
        // A bottom-k hash sample spreads over the key space rather than clustering at one end.
        assertThat(new String(inspection.sample().get(0).key(), StandardCharsets.UTF_8)).isLessThan("/small/020000");
        assertThat(new String(inspection.sample().get(63).key(), StandardCharsets.UTF_8)).isGreaterThan("/small/080000");
    }

    @Test
    void valuesLargerThanAPage() throws Exception {
        Random random = new Random(7);
        filler.putMany(30, i -> "/big/" + i, i -> {
            byte[] v = new byte[i % 3 == 0 ? 1_000_000 : 100_000];
            random.nextBytes(v);
            return v;
        });
        filler.putMany(200, i -> "/between/" + i, i -> new byte[] {(byte) i});
        SnapshotInspection inspection = assertParity("big.db");
        assertThat(inspection.liveKeys()).isEqualTo(230);
        assertSampleServed(inspection.sample());
    }

    @Test
    void deletesAndCompaction() throws Exception {
        for (int round = 0; round < 3; round++) {
            int r = round;
            filler.putMany(2000, i -> "/churn/" + i, i -> ("round" + r + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        filler.deleteMany(500, i -> "/churn/" + (i * 3));
        long compactAt = EtcdOracle.revision(etcd) - 700;
        filler.compactPhysical(compactAt);
        filler.deleteMany(100, i -> "/churn/" + (i * 3 + 1));
        filler.putMany(50, i -> "/churn/" + (i * 3), i -> "reborn".getBytes(StandardCharsets.UTF_8));

        SnapshotInspection inspection = assertParity("churn.db");
        assertThat(inspection.compactRevision()).isEqualTo(compactAt);
        assertThat(inspection.liveKeys()).isEqualTo(2000 - 500 - 100 + 50);
        assertSampleServed(inspection.sample());
    }

    @Test
    void leasesInlineAndInTheirOwnPages() throws Exception {
        filler.leases(2, 3, "/leased/few/");
        Path few = EtcdOracle.save(etcd, dir.resolve("few-leases.db"));
        assertParity(few);
        filler.leases(600, 1, "/leased/many/");
        Path many = EtcdOracle.save(etcd, dir.resolve("many-leases.db"));
        SnapshotInspection inspection = assertParity(many);
        assertThat(inspection.liveKeys()).isEqualTo(606);
        // With 602 leases the lease bucket no longer fits inline in its parent page.
        assertThat(inlineBuckets(many)).isLessThan(inlineBuckets(few));
        assertThat(inlineBuckets(few)).isPositive();
    }

    @Test
    void kubernetesObjects() throws Exception {
        Map<String, byte[]> registry = KubernetesSamples.registry();
        for (Map.Entry<String, byte[]> e : registry.entrySet()) {
            filler.put(e.getKey(), e.getValue());
        }
        filler.put("/not-kubernetes/x", new byte[] {1});
        SnapshotInspection inspection = assertParity("k8s.db");
        ContentSummary content = inspection.content();
        assertThat(content.kubernetesObjects()).isEqualTo(registry.size());
        assertThat(content.namespaces()).containsExactly("default", "kube-system", "nameValue");
        assertThat(content.objectsByResource()).containsEntry("pods", 1L).containsEntry("services", 1L)
                .containsEntry("endpoints", 1L).containsEntry("nodes", 1L).containsEntry("secrets", 2L)
                .containsEntry("widgets.example.com", 1L);
        assertThat(content.customResourcesByGroup()).isEqualTo(Map.of("example.com", 1L));
        assertThat(content.encryptedByProvider()).isEqualTo(Map.of("aescbc", 1L, "kms-v2", 1L));
        assertThat(content.objectsByNamespace()).containsEntry("namespaceValue", 3L).containsEntry("default", 4L).containsEntry("kube-system", 1L);
    }

    private SnapshotInspection assertParity(String name) throws Exception {
        return assertParity(EtcdOracle.save(etcd, dir.resolve(name)));
    }

    /** Status equal to etcdctl's; live keys, revision and members equal to what etcd serves. */
    private SnapshotInspection assertParity(Path file) throws Exception {
        SnapshotStatus expected = EtcdOracle.status(file);
        SnapshotInspection inspection = SnapshotInspector.inspect(file, 64);
        assertThat(inspection.status()).isEqualTo(expected);
        assertThat(SnapshotInspector.status(file)).isEqualTo(expected);
        assertThat(inspection.status().totalSize()).isEqualTo(Files.size(file) - 32);
        assertThat(inspection.liveKeys()).isEqualTo(EtcdOracle.liveKeys(etcd));
        long served = EtcdOracle.revision(etcd);
        // A fresh etcd serves revision 1 but has no entry in bucket key, so its status says 0.
        assertThat(inspection.status().revision()).isEqualTo(served == 1 ? 0 : served);
        assertThat(inspection.members()).isEqualTo(EtcdOracle.members(etcd));
        return inspection;
    }

    private void assertSampleServed(List<KeyValueSample> sample) throws Exception {
        assertThat(sample).isNotEmpty();
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            for (KeyValueSample s : sample) {
                List<KeyValue> kvs = client.getKVClient().get(ByteSequence.from(s.key())).get(30, TimeUnit.SECONDS).getKvs();
                assertThat(kvs).hasSize(1);
                assertThat(Arrays.equals(kvs.get(0).getValue().getBytes(), s.value())).isTrue();
                assertThat(kvs.get(0).getModRevision()).isEqualTo(s.modRevision());
            }
        }
    }

    private static long inlineBuckets(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file)) {
            BoltReader reader = BoltReader.open(channel, channel.size() - 32);
            reader.walk(name -> (k, v) -> { }, false);
            return reader.inlineBuckets();
        }
    }
}
