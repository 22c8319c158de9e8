package dev.lifeboat.cli.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The member files written in Java against {@code etcdctl snapshot restore} (etcd 3.4) as the oracle:
 * the WAL and the .snap file must be byte-identical, and the database must read the same to
 * {@code etcdctl snapshot status} (same hash over every bucket, consistent index included, same keys).
 */
class RestoreFormatIT {
    private static final String CLUSTER = "n1=http://127.0.0.1:1001,n2=http://127.0.0.1:1002,"
            + "n3=https://10.0.0.3:2380,n3=https://node-3.example:2380";

    @TempDir
    static Path dir;
    static Path snapshot;

    @BeforeAll
    static void snapshotOfARealEtcd() {
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
            for (int i = 0; i < 50; i++) {
                etcd.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
            }
            snapshot = dir.resolve("snapshot.db");
            etcd.etcdctl("snapshot", "save", snapshot.toString());
        }
    }

    @Test
    void everyMemberMatchesEtcdctlByteForByte() throws Exception {
        RestoredCluster cluster = RestoredCluster.of(CLUSTER, "restore-token");
        assertThat(cluster.members()).hasSize(3);
        Path db = dir.resolve("prepared.db");
        Files.copy(snapshot, db);
        try (var f = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(Files.size(snapshot) - 32);
        }
        PreparedDatabase.prepare(db, cluster.members().size(), 0, false);
        for (RestoredCluster.Member m : cluster.members()) {
            Path expected = dir.resolve("etcdctl-" + m.name());
            Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "restore", snapshot.toString(),
                    "--name", m.name(), "--initial-cluster", CLUSTER, "--initial-cluster-token", "restore-token",
                    "--initial-advertise-peer-urls", String.join(",", m.peerUrls()), "--data-dir", expected.toString()));
            Path actual = dir.resolve("java-" + m.name());
            MemberFiles.write(actual, cluster, m);

            Path wal = Path.of("member", "wal", MemberFiles.WAL_FILE);
            assertThat(Files.mismatch(actual.resolve(wal), expected.resolve(wal))).as("WAL of %s", m.name()).isEqualTo(-1);
            assertThat(names(actual.resolve("member/snap"))).isEqualTo(names(expected.resolve("member/snap")).stream()
                    .filter(n -> !n.equals("db")).toList());
            String snapName = names(actual.resolve("member/snap")).get(0);
            assertThat(Files.mismatch(actual.resolve("member/snap").resolve(snapName),
                    expected.resolve("member/snap").resolve(snapName))).as(".snap of %s", m.name()).isEqualTo(-1);
            assertThat(status(db)).isEqualTo(status(expected.resolve("member/snap/db")));
        }
        assertThat(status(db)).isNotEqualTo(status(snapshot));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Hash, revision and total keys: the content (the size depends on where bbolt put the new pages). */
    private static String status(Path db) throws Exception {
        String out = Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "status", "-w", "json", db.toString()));
        JsonNode s = new ObjectMapper().readTree(out.substring(out.indexOf("{\"")));
        return s.get("hash") + "/" + s.get("revision") + "/" + s.get("totalKey");
    }
}
