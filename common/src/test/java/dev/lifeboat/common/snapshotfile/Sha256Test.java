package dev.lifeboat.common.snapshotfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the test vectors of FIPS 180-2, not against another run of the same code. */
class Sha256Test {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    @Test
    void knownVectors() throws IOException {
        assertThat(Sha256.of(InputStream.nullInputStream())).isEqualTo(new Sha256(EMPTY, 0));
        assertThat(Sha256.of(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(new Sha256(ABC, 3));
        assertThat(Sha256.hexOf("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
    }

    @Test
    void aStreamLongerThanTheBufferInOddReads() throws IOException {
        InputStream millionA = new InputStream() { // a million 'a', handed out a few bytes at a time
            private int left = 1_000_000;
            private final Random random = new Random(1);

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = Math.min(left, Math.min(len, 1 + random.nextInt(70_000)));
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        Sha256 sha = Sha256.copy(millionA, copy);
        assertThat(sha).isEqualTo(new Sha256(MILLION_A, 1_000_000));
        assertThat(copy.size()).isEqualTo(1_000_000);
        assertThat(sha.matches(MILLION_A.toUpperCase(), 1_000_000)).isTrue();
        assertThat(sha.matches(MILLION_A, 999_999)).isFalse();
        assertThat(sha.matches(ABC, 1_000_000)).isFalse();
    }

    @Test
    void aFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "abc");
        assertThat(Sha256.of(file)).isEqualTo(new Sha256(ABC, 3));
    }

    @Test
    void aHashingStreamCountsWhatWasReadBeforeAFailure() {
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served == 3) {
                    throw new IOException("connection reset");
                }
                return "abc".charAt(served++);
            }
        };
        HashingInputStream in = new HashingInputStream(failing);
        byte[] buffer = new byte[10];
        int n = 0;
        try {
            while (n < 3) {
                n += in.read(buffer, n, 1);
            }
            in.read();
        } catch (IOException expected) {
            assertThat(expected).hasMessage("connection reset");
        }
        assertThat(in.bytes()).isEqualTo(3);
        assertThat(in.result()).isEqualTo(new Sha256(ABC, 3));
    }
}
