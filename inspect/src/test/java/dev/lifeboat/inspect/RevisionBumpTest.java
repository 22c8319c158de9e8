package dev.lifeboat.inspect;

import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.bolt.BoltTransaction;
import dev.lifeboat.inspect.bolt.EmptyEtcdDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which entries the bump writes, on databases built byte by byte: the bytes etcd reads back. */
class RevisionBumpTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void writesTheMarkerAndTheScheduledCompactionAsEtcdutlDoes() throws Exception {
        Path db = EmptyEtcdDatabase.create(dir.resolve("db"));
        put(db, "key", revision(5, 0), new byte[] {1});
        put(db, "key", revision(5, 1), new byte[] {2});

        assertThat(RevisionBump.apply(db, 1_000_000, true)).isEqualTo(new RevisionBump.BumpResult(5, 1_000_005));

        Map<String, String> key = entries(db, "key");
        assertThat(key).containsEntry("00000000000f4245" + "5f" + "0000000000000000", "");
        assertThat(key).hasSize(3);
        assertThat(entries(db, "meta")).isEqualTo(Map.of(
                HEX.formatHex("scheduledCompactRev".getBytes(StandardCharsets.US_ASCII)),
                "00000000000f4245" + "5f" + "0000000000000000"));
    }

    @Test
    void startsFromTheFinishedCompactionWhenItIsAboveEveryKeyAndReplacesAnOldSchedule() throws Exception {
        Path db = EmptyEtcdDatabase.create(dir.resolve("db"));
        put(db, "key", revision(3, 0), new byte[] {1});
        put(db, "meta", "finishedCompactRev".getBytes(StandardCharsets.US_ASCII), revision(9, 0));
        put(db, "meta", "scheduledCompactRev".getBytes(StandardCharsets.US_ASCII), revision(9, 0));

        assertThat(RevisionBump.apply(db, 10, true)).isEqualTo(new RevisionBump.BumpResult(9, 19));
        assertThat(entries(db, "meta")).containsEntry(
                HEX.formatHex("scheduledCompactRev".getBytes(StandardCharsets.US_ASCII)), HEX.formatHex(revision(19, 0)));
        assertThat(RevisionBump.apply(db, 10, false)).isEqualTo(new RevisionBump.BumpResult(19, 29));
        assertThat(entries(db, "meta")).containsEntry(
                HEX.formatHex("scheduledCompactRev".getBytes(StandardCharsets.US_ASCII)), HEX.formatHex(revision(19, 0)));
    }

    @Test
    void composesWithTheRestoresOwnChangesInOneCommit() throws Exception {
        Path db = EmptyEtcdDatabase.create(dir.resolve("db"));
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            tx.put("meta", "consistent_index".getBytes(StandardCharsets.US_ASCII), ByteBuffer.allocate(8).putLong(3).array());
            assertThat(RevisionBump.addTo(tx, 7, true)).isEqualTo(new RevisionBump.BumpResult(0, 7));
            tx.prepare().write(channel);
        }
        assertThat(entries(db, "meta")).hasSize(2);
        assertThat(entries(db, "key")).isEqualTo(Map.of(HEX.formatHex(revision(7, 0)), ""));
    }

    @Test
    void refusesANonPositiveAmount() {
        assertThatThrownBy(() -> RevisionBump.apply(EmptyEtcdDatabase.create(dir.resolve("db")), 0, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] revision(long main, long sub) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(sub).array();
    }

    private static void put(Path db, String bucket, byte[] key, byte[] value) throws Exception {
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            tx.put(bucket, key, value);
            tx.prepare().write(channel);
        }
    }

    private static Map<String, String> entries(Path db, String bucket) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (FileChannel channel = FileChannel.open(db)) {
            BoltReader.open(channel, channel.size()).walk(
                    name -> StandardCharsets.US_ASCII.decode(name.duplicate()).toString().equals(bucket)
                            ? (k, v) -> entries.put(hex(k), hex(v)) : null, false);
        }
        return entries;
    }

    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return HEX.formatHex(a);
    }
}
