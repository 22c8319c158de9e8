package dev.lifeboat.inspect;

import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.inspect.bolt.BoltReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Damaged snapshots: truncation, flipped bytes in data pages, meta pages and the trailer, and
 * thousands of seeded random flips. Every outcome is a valid inspection or a reason code, quickly.
 */
class SnapshotCorruptionIT {
    private static final Duration PER_CASE = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static byte[] original;
    private static SnapshotStatus originalStatus;
    private static int pageSize;
    private static long rootPage;

    /** One small but varied snapshot of a real etcd: overflow values, deletes, compaction, leases. */
    @BeforeAll
    static void snapshotOfRealEtcd() throws Exception {
        Path file = dir.resolve("original.db");
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd")); EtcdFiller filler = new EtcdFiller(etcd)) {
            filler.putMany(400, i -> "/registry/configmaps/ns" + (i % 7) + "/cm" + i,
                    i -> ("{\"data\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            filler.putMany(3, i -> "/blob/" + i, i -> new byte[20_000 + i]);
            filler.deleteMany(50, i -> "/registry/configmaps/ns" + (i % 7) + "/cm" + i);
            filler.compactPhysical(EtcdOracle.revision(etcd) - 20);
            filler.leases(3, 2, "/leased/");
            EtcdOracle.save(etcd, file);
        }
        original = Files.readAllBytes(file);
        originalStatus = EtcdOracle.status(file);
        try (FileChannel channel = FileChannel.open(file)) {
            BoltReader reader = BoltReader.open(channel, channel.size() - 32);
            pageSize = reader.meta().pageSize();
            rootPage = reader.meta().root();
        }
    }

    @Test
    void intactSnapshotPasses() throws Exception {
        SnapshotInspection inspection = SnapshotInspector.inspect(write("intact.db", original), 8);
        assertThat(inspection.status()).isEqualTo(originalStatus);
        assertThat(inspection.liveKeys()).isEqualTo(400 + 3 - 50 + 6);
    }

    @Test
    void truncatedFilesAreTruncated() throws Exception {
        int size = original.length;
        int[] lengths = {0, 1, 31, 32, 33, 4096, 4096 + 32, size / 2, (size / 2) / 512 * 512 + 32,
                size - 4096, size - 512, size - 33, size - 32, size - 1};
        for (int length : lengths) {
            Path file = write("truncated-" + length + ".db", Arrays.copyOf(original, length));
            assertThat(reasonOf(file)).as("length %d of %d", length, size).isEqualTo(Corruption.TRUNCATED);
        }
    }

    @Test
    void flippedTrailerIsAHashMismatch() throws Exception {
        assertThat(reasonOf(write("trailer.db", flip(original, original.length - 5)))).isEqualTo(Corruption.HASH_MISMATCH);
    }

    @Test
    void flippedDataPageIsAHashMismatchAndWithARecomputedTrailerCorrupt() throws Exception {
        int flagsOfRoot = (int) (rootPage * pageSize) + 8;
        byte[] tampered = flip(original, flagsOfRoot);
        assertThat(reasonOf(write("data.db", tampered))).isEqualTo(Corruption.HASH_MISMATCH);
        assertThat(reasonOf(write("data-rehashed.db", rehash(tampered)))).isEqualTo(Corruption.CORRUPT_DB);
    }

    @Test
    void oneDamagedMetaPageIsSurvivedAndTwoAreCorrupt() throws Exception {
        byte[] meta0 = flip(original, 16 + 40);
        byte[] meta1 = flip(original, pageSize + 16 + 40);
        byte[] both = flip(meta0, pageSize + 16 + 40);
        assertThat(reasonOf(write("meta0.db", meta0))).isEqualTo(Corruption.HASH_MISMATCH);
        assertThat(SnapshotInspector.inspect(write("meta0-rehashed.db", rehash(meta0)), 0).status()).isEqualTo(originalStatus);
        assertThat(SnapshotInspector.inspect(write("meta1-rehashed.db", rehash(meta1)), 0).status()).isEqualTo(originalStatus);
        try (FileChannel channel = FileChannel.open(dir.resolve("meta0-rehashed.db"))) {
            assertThat(BoltReader.open(channel, channel.size() - 32).notes()).singleElement().asString().contains("meta page 0");
        }
        assertThat(reasonOf(write("both-rehashed.db", rehash(both)))).isEqualTo(Corruption.CORRUPT_DB);
        assertThat(reasonOf(write("both.db", both))).isEqualTo(Corruption.HASH_MISMATCH);
    }

    @Test
    void pageClaimedTwiceIsCorrupt() throws Exception {
        byte[] tampered = original.clone();
        ByteBuffer b = ByteBuffer.wrap(tampered).order(ByteOrder.LITTLE_ENDIAN);
        // Point the freelist of both metas at the root page: the tree then reaches a claimed page.
        for (int meta = 0; meta < 2; meta++) {
            int m = meta * pageSize + 16;
            b.putLong(m + 32, rootPage);
            b.putLong(m + 56, fnv1a64(tampered, m, 56));
        }
        assertThat(reasonOf(write("claimed-twice.db", rehash(tampered)))).isEqualTo(Corruption.CORRUPT_DB);
    }

    /**
     * 2000 seeded single-byte flips anywhere in the file. With the original trailer every flip is a
     * hash mismatch; with a recomputed trailer the structure must catch it, or the file is still a
     * valid database (a flip in a free page) whose status then equals etcdctl's where etcdctl reads it.
     */
    @Test
    void randomFlipsNeverCrashOrHang() throws Exception {
        Random random = new Random(20240501L);
        Map<Corruption, Integer> outcomes = new EnumMap<>(Corruption.class);
        int valid = 0;
        int comparedWithEtcdctl = 0;
        for (int n = 0; n < 2000; n++) {
            int at = random.nextInt(original.length);
            byte[] tampered = original.clone();
            tampered[at] ^= (byte) (1 + random.nextInt(255));
            boolean rehashed = n % 2 == 1;
            Path file = write("flip.db", rehashed ? rehash(tampered) : tampered);
            String label = "flip " + n + " at offset " + at + (rehashed ? " with recomputed trailer" : "");
            SnapshotInspection inspection = assertTimeoutPreemptively(PER_CASE, () -> {
                try {
                    return SnapshotInspector.inspect(file, 4);
                } catch (CorruptSnapshotException e) {
                    outcomes.merge(e.reason(), 1, Integer::sum);
                    return null;
                }
            }, label);
            if (!rehashed) {
                assertThat(inspection).as(label).isNull();
                continue;
            }
            if (inspection != null) {
                valid++;
                if (comparedWithEtcdctl < 40) {
                    SnapshotStatus etcdctl = EtcdOracle.status(file);
                    if (etcdctl != null) {
                        assertThat(inspection.status()).as(label).isEqualTo(etcdctl);
                        comparedWithEtcdctl++;
                    }
                }
            }
        }
        assertThat(outcomes.keySet()).as("%s", outcomes)
                .containsOnly(Corruption.HASH_MISMATCH, Corruption.CORRUPT_DB);
        assertThat(outcomes.get(Corruption.HASH_MISMATCH)).isEqualTo(1000);
        assertThat(outcomes.get(Corruption.CORRUPT_DB) + valid).isEqualTo(1000);
        assertThat(outcomes.get(Corruption.CORRUPT_DB)).isPositive();
        System.out.printf("random flips: %s, still valid after a recomputed trailer: %d (%d compared with etcdctl)%n",
                outcomes, valid, comparedWithEtcdctl);
    }

    @Test
    void notASnapshotAtAll() throws Exception {
        byte[] zeros = new byte[8 * 4096 + 32];
        assertThat(reasonOf(write("zeros.db", zeros))).isEqualTo(Corruption.HASH_MISMATCH);
        assertThat(reasonOf(write("zeros-rehashed.db", rehash(zeros)))).isEqualTo(Corruption.CORRUPT_DB);
        assertThatThrownBy(() -> SnapshotInspector.inspect(dir.resolve("missing.db"), 1))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    private static Corruption reasonOf(Path file) {
        CorruptSnapshotException e = catchThrowableOfType(CorruptSnapshotException.class,
                () -> assertTimeoutPreemptively(PER_CASE, () -> SnapshotInspector.inspect(file, 4)));
        assertThat(e).as("inspection of " + file.getFileName() + " should fail").isNotNull();
        return e.reason();
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    /** Writes a fresh sha256 trailer, so only the structure can reveal the damage. */
    private static byte[] rehash(byte[] bytes) throws Exception {
        byte[] copy = bytes.clone();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(copy, 0, copy.length - 32);
        System.arraycopy(sha.digest(), 0, copy, copy.length - 32, 32);
        return copy;
    }

    private static long fnv1a64(byte[] bytes, int from, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            hash ^= bytes[i] & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
