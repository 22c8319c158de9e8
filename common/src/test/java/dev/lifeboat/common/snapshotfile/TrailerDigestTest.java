package dev.lifeboat.common.snapshotfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TrailerDigestTest {
    /** A file shaped like etcd's: {@code db} followed by sha256(db). */
    private static byte[] snapshot(int dbSize, long seed) throws Exception {
        byte[] db = new byte[dbSize];
        new Random(seed).nextBytes(db);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(db);
        byte[] out = new byte[dbSize + 32];
        System.arraycopy(db, 0, out, 0, dbSize);
        System.arraycopy(hash, 0, out, dbSize, 32);
        return out;
    }

    private static TrailerDigest feed(byte[] bytes, long seed) throws Exception {
        TrailerDigest d = new TrailerDigest(OutputStream.nullOutputStream());
        Random r = new Random(seed);
        int pos = 0;
        while (pos < bytes.length) {
            int n = Math.min(bytes.length - pos, r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(70_000));
            d.write(bytes, pos, n);
            pos += n;
        }
        return d;
    }

    @Test
    void acceptsAValidSnapshotWhateverTheChunking() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            byte[] file = snapshot(4096 * (1 + (int) seed % 7), seed);
            TrailerDigest d = feed(file, seed);
            assertThat(d.trailerMatches()).as("seed %d", seed).isTrue();
            assertThat(d.sizeRuleHolds()).isTrue();
            assertThat(d.sha256Hex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        }
    }

    @Test
    void detectsAFlippedByteAnywhere() throws Exception {
        byte[] file = snapshot(8192, 7);
        for (int pos : new int[] {0, 100, 8191, 8192, file.length - 1}) {
            byte[] bad = file.clone();
            bad[pos] ^= 0x40;
            assertThat(feed(bad, pos).trailerMatches()).as("flip at %d", pos).isFalse();
        }
    }

    @Test
    void aSingleByteAtATimeGivesTheSameAnswer() throws Exception {
        byte[] file = snapshot(1024, 11);
        TrailerDigest d = new TrailerDigest(OutputStream.nullOutputStream());
        for (byte b : file) {
            d.write(b);
        }
        assertThat(d.size()).isEqualTo(file.length);
        assertThat(d.trailerMatches()).isTrue();
    }

    @Test
    void passesEveryByteOnUnchanged() throws Exception {
        byte[] file = snapshot(4096, 5);
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        TrailerDigest d = new TrailerDigest(copy);
        d.write(file, 0, 100);
        d.write(file, 100, file.length - 100);
        d.close();
        assertThat(copy.toByteArray()).isEqualTo(file);
    }

    @Test
    void aFileOfOnlyATrailerBreaksTheSizeRule() throws Exception {
        TrailerDigest d = feed(snapshot(0, 1), 1); // sha256 of nothing: a matching trailer, no database
        assertThat(d.trailerMatches()).isTrue();
        assertThat(d.sizeRuleHolds()).isFalse();
    }

    @Test
    void detectsTruncation() throws Exception {
        byte[] file = snapshot(8192, 3);
        byte[] cut = java.util.Arrays.copyOf(file, 5000);
        TrailerDigest d = feed(cut, 1);
        assertThat(d.sizeRuleHolds()).isFalse();
        assertThat(d.trailerMatches()).isFalse();
    }
}
