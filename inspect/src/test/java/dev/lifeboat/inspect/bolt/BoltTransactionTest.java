package dev.lifeboat.inspect.bolt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Write transactions on a database built byte by byte as bbolt's init and etcd's first commit lay it
 * out (two inline buckets and a synced freelist page). After every commit the reader's full
 * structural walk must pass, the entries must equal a plain map that saw the same puts, and the pages
 * must add up: every appended page reached exactly once, no page outside the database, no page that
 * was free before reached again.
 */
class BoltTransactionTest {
    private static final int PAGE = EmptyEtcdDatabase.PAGE;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void onePutPerCommitGrowsInlineBucketsIntoTreesWithSplits() throws Exception {
        Path db = database();
        Map<String, Map<String, String>> model = emptyModel();
        Random random = new Random(42);
        long inlineBefore = walk(db, model).inlineBuckets();
        assertThat(inlineBefore).isEqualTo(2);
        for (int i = 1; i <= 200; i++) {
            byte[] key = revisionKey(i);
            byte[] value = new byte[random.nextInt(i % 40 == 0 ? 9000 : 300)];
            random.nextBytes(value);
            commit(db, tx -> tx.put("key", key, value));
            model.get("key").put(HEX.formatHex(key), HEX.formatHex(value));
            walk(db, model);
        }
        assertThat(walk(db, model).inlineBuckets()).isEqualTo(1);
    }

    @Test
    void manyPutsInOneCommitSplitTheRootSeveralLevels() throws Exception {
        Path db = database();
        Map<String, Map<String, String>> model = emptyModel();
        Random random = new Random(7);
        commit(db, tx -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] key = ("/k/" + random.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8);
                byte[] value = ("v" + i).getBytes(StandardCharsets.UTF_8);
                tx.put("key", key, value);
                model.get("key").put(HEX.formatHex(key), HEX.formatHex(value));
            }
            tx.put("meta", "consistent_index".getBytes(StandardCharsets.UTF_8), new byte[8]);
            model.get("meta").put(HEX.formatHex("consistent_index".getBytes(StandardCharsets.UTF_8)), HEX.formatHex(new byte[8]));
        });
        walk(db, model);
        // a second commit into the middle and both ends of the existing tree
        commit(db, tx -> {
            for (String k : List.of("/a", "/k/500000", "/k/5000001", "/zzz")) {
                byte[] key = k.getBytes(StandardCharsets.UTF_8);
                tx.put("key", key, key);
                model.get("key").put(HEX.formatHex(key), HEX.formatHex(key));
            }
        });
        walk(db, model);
        try (FileChannel channel = FileChannel.open(db)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            assertThat(new String(tx.lastKey("key"), StandardCharsets.UTF_8)).isEqualTo("/zzz");
            assertThat(tx.get("key", "/k/500000".getBytes(StandardCharsets.UTF_8))).isEqualTo("/k/500000".getBytes(StandardCharsets.UTF_8));
            assertThat(tx.get("key", "/nope".getBytes(StandardCharsets.UTF_8))).isNull();
        }
    }

    @Test
    void theNewMetaGoesToTheOtherSlotWithTheNextTxidAndNoFreelist() throws Exception {
        Path db = database();
        BoltMeta before = meta(db);
        assertThat(before.freelist()).isEqualTo(5);
        commit(db, tx -> tx.put("meta", "a".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
        BoltMeta after = meta(db);
        assertThat(after.page()).isEqualTo(1 - before.page());
        assertThat(after.txid()).isEqualTo(before.txid() + 1);
        assertThat(after.freelist()).isEqualTo(BoltMeta.NO_FREELIST);
        assertThat(after.pgid()).isGreaterThan(before.pgid());
    }

    @Test
    void aCrashBeforeTheMetaPageLeavesTheDatabaseAsItWas() throws Exception {
        Path db = database();
        Map<String, Map<String, String>> model = emptyModel();
        commit(db, tx -> tx.put("key", revisionKey(1), new byte[] {1}));
        model.get("key").put(HEX.formatHex(revisionKey(1)), "01");
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            tx.put("key", revisionKey(2), new byte[] {2});
            BoltCommit commit = tx.prepare();
            // the pages reach the disk, the meta page does not
            channel.write(commit.appendedPages(), commit.previousDatabaseSize());
        }
        walk(db, model);
        // a torn meta page fails its checksum: the previous meta still holds
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            tx.put("key", revisionKey(2), new byte[] {2});
            BoltCommit commit = tx.prepare();
            channel.write(commit.appendedPages(), commit.previousDatabaseSize());
            ByteBuffer torn = commit.metaPage().limit(16 + 40);
            channel.write(torn, (long) commit.metaPageId() * PAGE);
        }
        BoltMeta meta = walk(db, model).meta();
        assertThat(meta.txid()).isEqualTo(3);
    }

    @Test
    void refusesWhatBboltWouldNotHold() throws Exception {
        Path db = database();
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            assertThatThrownBy(() -> tx.put("lease", new byte[] {1}, new byte[0])).isInstanceOf(BoltFormatException.class)
                    .hasMessageContaining("no bucket lease");
            assertThatThrownBy(() -> tx.put("key", new byte[0], new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx.put("key", new byte[32769], new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx.get("key".substring(0, 2), new byte[] {1})).isInstanceOf(BoltFormatException.class);
        }
    }

    @FunctionalInterface
    interface Change {
        void apply(BoltTransaction tx) throws Exception;
    }

    private static void commit(Path db, Change change) throws Exception {
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(channel, channel.size());
            change.apply(tx);
            tx.prepare().write(channel);
        }
    }

    private static BoltMeta meta(Path db) throws IOException, BoltFormatException {
        try (FileChannel channel = FileChannel.open(db)) {
            return BoltReader.open(channel, channel.size()).meta();
        }
    }

    private static Map<String, Map<String, String>> emptyModel() {
        Map<String, Map<String, String>> model = new TreeMap<>();
        model.put("key", new TreeMap<>());
        model.put("meta", new TreeMap<>());
        return model;
    }

    /**
     * Walks the database: structure valid, entries equal to the model, every page below pgid either
     * reached once or free, and every page reached now that was not reached last time lies past the
     * previous end (copy-on-write never reuses a page an older meta could still reach).
     */
    private BoltReader walk(Path db, Map<String, Map<String, String>> model) throws Exception {
        try (FileChannel channel = FileChannel.open(db)) {
            BoltReader reader = BoltReader.open(channel, channel.size());
            Map<String, Map<String, String>> seen = new TreeMap<>();
            reader.walk(name -> {
                Map<String, String> entries = new TreeMap<>();
                seen.put(StandardCharsets.UTF_8.decode(name.duplicate()).toString(), entries);
                return (k, v) -> entries.put(hex(k), hex(v));
            }, false);
            assertThat(seen).isEqualTo(model);
            BitSet reached = reader.reachedPages();
            assertThat(reached.length()).isLessThanOrEqualTo((int) reader.meta().pgid());
            if (lastReached != null && lastPgid != reader.meta().pgid()) {
                BitSet fresh = (BitSet) reached.clone();
                fresh.andNot(lastReached);
                assertThat(fresh.nextSetBit(0)).isGreaterThanOrEqualTo((int) lastPgid);
                BitSet appended = new BitSet();
                appended.set((int) lastPgid, (int) reader.meta().pgid());
                appended.andNot(reached);
                assertThat(appended.isEmpty()).as("appended pages not reached: %s", appended).isTrue();
            }
            lastReached = reached;
            lastPgid = reader.meta().pgid();
            return reader;
        }
    }

    private Path database() throws IOException {
        lastReached = null;
        return EmptyEtcdDatabase.create(dir.resolve("db-" + System.nanoTime()));
    }

    private BitSet lastReached;
    private long lastPgid;

    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return HEX.formatHex(a);
    }

    private static byte[] revisionKey(long main) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(0).array();
    }

}
