package dev.lifeboat.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.inspect.bolt.BoltMeta;
import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bump on a real etcd 3.4 snapshot, judged by stock etcdctl against an etcd started on the result:
 * the revision jumped by K, reads and watches below it fail as compacted, the next write gets the
 * next revision, and every key and value is still there. Both entry points: the snapshot file before
 * {@code etcdctl snapshot restore}, and the restored data directory's {@code member/snap/db}.
 */
class RevisionBumpIT {
    private static final long K = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path snapshot;
    private static long revision;
    private static Map<String, String> served;
    private static SnapshotInspection original;

    /** History with overwrites, deletes, a compaction, a lease and a value larger than a page. */
    @BeforeAll
    static void snapshotOfRealEtcd() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("source")); EtcdFiller filler = new EtcdFiller(etcd)) {
            filler.putMany(300, i -> String.format("/bump/k%03d", i), i -> ("v1-" + i).getBytes(StandardCharsets.UTF_8));
            filler.putMany(100, i -> String.format("/bump/k%03d", i), i -> ("v2-" + i).getBytes(StandardCharsets.UTF_8));
            filler.deleteMany(20, i -> String.format("/bump/k%03d", 200 + i));
            filler.compactPhysical(EtcdOracle.revision(etcd) - 10);
            filler.leases(1, 2, "/bump/leased/");
            filler.put("/bump/large", "x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
            revision = EtcdOracle.revision(etcd);
            served = everything(etcd);
            snapshot = EtcdOracle.save(etcd, dir.resolve("original.db"));
        }
        original = SnapshotInspector.inspect(snapshot, 0);
        assertThat(original.status().revision()).isEqualTo(revision);
        assertThat(served).hasSize(300 - 20 + 2 + 1);
    }

    @Test
    void bumpedSnapshotRestoresToABumpedAndCompactedEtcd() throws Exception {
        Path bumped = Files.copy(snapshot, dir.resolve("bumped.db"));
        RevisionBump.BumpResult result = RevisionBump.applyToSnapshot(bumped, K, true);
        assertThat(result).isEqualTo(new RevisionBump.BumpResult(revision, revision + K));

        // stock etcdctl (bbolt's own consistency check included) and the Java reader accept the file
        SnapshotStatus status = EtcdOracle.status(bumped);
        assertThat(status).isNotNull();
        assertThat(status.revision()).isEqualTo(revision + K);
        // one entry more in bucket key; scheduledCompactRev existed (the history was compacted) and is replaced
        assertThat(status.totalKeys()).isEqualTo(original.status().totalKeys() + 1);
        assertAppendedPagesReached(snapshot, bumped);
        assertThat(SnapshotInspector.status(bumped)).isEqualTo(status);
        SnapshotInspection inspection = SnapshotInspector.inspect(bumped, 0);
        assertThat(inspection.status()).isEqualTo(status);
        assertThat(inspection.liveKeys()).isEqualTo(original.liveKeys());

        try (EtcdServer etcd = EtcdServer.restoredFrom(dir.resolve("from-bumped-snapshot"), bumped)) {
            etcd.start();
            assertBumpedAndCompacted(etcd);
        }
    }

    @Test
    void bumpedDataDirectoryStartsAsABumpedAndCompactedEtcd() throws Exception {
        try (EtcdServer etcd = EtcdServer.restoredFrom(dir.resolve("bumped-data-dir"), snapshot)) {
            Path db = etcd.dataDir().resolve("member").resolve("snap").resolve("db");
            RevisionBump.BumpResult result = RevisionBump.apply(db, K, true);
            assertThat(result).isEqualTo(new RevisionBump.BumpResult(revision, revision + K));
            etcd.start();
            assertBumpedAndCompacted(etcd);
        }
    }

    @Test
    void withoutMarkCompactedOldRevisionsStayReadable() throws Exception {
        try (EtcdServer etcd = EtcdServer.restoredFrom(dir.resolve("bump-only"), snapshot)) {
            RevisionBump.apply(etcd.dataDir().resolve("member").resolve("snap").resolve("db"), K, false);
            etcd.start();
            assertThat(header(etcd.etcdctl("endpoint", "status", "-w", "json")).get(0).get("Status")
                    .get("header").get("revision").asLong()).isEqualTo(revision + K);
            assertThat(etcd.etcdctl("get", "/bump/k000", "--rev", String.valueOf(revision), "--print-value-only").trim())
                    .isEqualTo("v2-0");
            assertThat(everything(etcd)).isEqualTo(served);
        }
    }

    @Test
    void anEmptyEtcdJumpsToK() throws Exception {
        Path empty;
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("empty-source"))) {
            empty = EtcdOracle.save(etcd, dir.resolve("empty.db"));
        }
        SnapshotStatus before = EtcdOracle.status(empty);
        Path bumped = Files.copy(empty, dir.resolve("empty-bumped.db"));
        assertThat(RevisionBump.applyToSnapshot(bumped, K, true)).isEqualTo(new RevisionBump.BumpResult(0, K));
        SnapshotStatus after = EtcdOracle.status(bumped);
        assertThat(after.revision()).isEqualTo(K);
        assertThat(after.totalKeys()).isEqualTo(before.totalKeys() + 2);
        try (EtcdServer etcd = EtcdServer.restoredFrom(dir.resolve("from-empty"), bumped)) {
            etcd.start();
            assertThat(EtcdOracle.revision(etcd)).isEqualTo(K);
            assertThat(EtcdOracle.liveKeys(etcd)).isZero();
            Commands.Result old = Commands.run(etcd.etcdctlCommand("get", "/any", "--rev", "1"));
            assertThat(old.output()).contains("required revision has been compacted");
            assertThat(header(etcd.etcdctl("put", "/first", "1", "-w", "json")).get("header").get("revision").asLong())
                    .isEqualTo(K + 1);
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedAndLeftAsItWas() throws Exception {
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x40;
        Path damaged = Files.write(dir.resolve("damaged.db"), bytes);
        assertThatThrownBy(() -> RevisionBump.applyToSnapshot(damaged, K, true))
                .isInstanceOfSatisfying(CorruptSnapshotException.class,
                        e -> assertThat(e.reason()).isEqualTo(Corruption.HASH_MISMATCH));
        assertThat(Files.readAllBytes(damaged)).isEqualTo(bytes);
        assertThatThrownBy(() -> RevisionBump.apply(damaged, K, true))
                .isInstanceOfSatisfying(CorruptSnapshotException.class,
                        e -> assertThat(e.getMessage()).contains("snapshot trailer"));
    }

    /** Every page the bump appended is part of the tree; bbolt rebuilds its freelist from the rest. */
    private static void assertAppendedPagesReached(Path before, Path after) throws Exception {
        long oldPgid;
        try (FileChannel channel = FileChannel.open(before)) {
            oldPgid = BoltReader.open(channel, channel.size() - 32).meta().pgid();
        }
        try (FileChannel channel = FileChannel.open(after)) {
            BoltReader reader = BoltReader.open(channel, channel.size() - 32);
            reader.walk(name -> (k, v) -> { }, false);
            assertThat(reader.meta().freelist()).isEqualTo(BoltMeta.NO_FREELIST);
            BitSet reached = reader.reachedPages();
            assertThat(reader.meta().pgid()).isGreaterThan(oldPgid);
            for (long p = oldPgid; p < reader.meta().pgid(); p++) {
                assertThat(reached.get((int) p)).as("appended page %d reached", p).isTrue();
            }
        }
    }

    private static void assertBumpedAndCompacted(EtcdServer etcd) {
        long bumped = revision + K;
        JsonNode status = header(etcd.etcdctl("endpoint", "status", "-w", "json")).get(0).get("Status");
        assertThat(status.get("header").get("revision").asLong()).isEqualTo(bumped);
        assertThat(everything(etcd)).isEqualTo(served);

        Commands.Result oldRead = Commands.run(etcd.etcdctlCommand("get", "/bump/k000", "--rev", String.valueOf(revision)));
        assertThat(oldRead.exitCode()).isNotZero();
        assertThat(oldRead.output()).contains("required revision has been compacted");
        Commands.Result justBelow = Commands.run(etcd.etcdctlCommand("get", "/bump/k000", "--rev", String.valueOf(bumped - 1)));
        assertThat(justBelow.output()).contains("required revision has been compacted");
        assertThat(etcd.etcdctl("get", "/bump/k000", "--rev", String.valueOf(bumped), "--print-value-only").trim())
                .isEqualTo("v2-0");

        List<String> watch = new ArrayList<>(List.of("timeout", "30"));
        watch.addAll(etcd.etcdctlCommand("watch", "/bump/", "--prefix", "--rev", String.valueOf(revision)));
        Commands.Result oldWatch = Commands.run(watch);
        assertThat(oldWatch.output()).contains("required revision has been compacted");
        assertThat(oldWatch.exitCode()).isNotZero().isNotEqualTo(124);

        JsonNode put = header(etcd.etcdctl("put", "/bump/after", "new", "-w", "json"));
        assertThat(put.get("header").get("revision").asLong()).isEqualTo(bumped + 1);
    }

    /** Every key and value the server serves, decoded from etcdctl's JSON. */
    private static Map<String, String> everything(EtcdServer etcd) {
        JsonNode r = header(etcd.etcdctl("get", "", "--from-key", "-w", "json"));
        Map<String, String> kvs = new TreeMap<>();
        for (JsonNode kv : r.path("kvs")) {
            kvs.put(decode(kv.get("key").asText()), decode(kv.path("value").asText("")));
        }
        return kvs;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static JsonNode header(String output) {
        try {
            int start = output.indexOf('[') >= 0 && output.indexOf('[') < output.indexOf('{') ? output.indexOf('[') : output.indexOf('{');
            return JSON.readTree(output.substring(start));
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + output, e);
        }
    }
}
