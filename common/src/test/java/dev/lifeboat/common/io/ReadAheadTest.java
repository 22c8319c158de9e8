package dev.lifeboat.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Property(tries = 200)
    void deliversExactlyTheSourceBytes(@ForAll @IntRange(min = 0, max = 200_000) int size,
                                       @ForAll @IntRange(min = 1, max = 4) int chunks,
                                       @ForAll @IntRange(min = 1, max = 70_000) int chunkSize,
                                       @ForAll @IntRange(min = 1, max = 50_000) int readSize) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BoundedPipe.ReadAhead in = BoundedPipe.readAhead(new ByteArrayInputStream(data), chunks, chunkSize)) {
            byte[] buffer = new byte[readSize];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.bytesRead()).isEqualTo(size);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void aFailingSourceFailsTheReaderAndIsKept() {
        InputStream broken = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 5000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        BoundedPipe.ReadAhead in = BoundedPipe.readAhead(broken, 2, 1024);
        assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream())).hasMessage("connection reset");
        assertThat(in.sourceFailure()).hasMessage("connection reset");
    }

    @Test
    void closingEarlyStopsTheReaderWhateverTheSourceSize() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        BoundedPipe.ReadAhead in = BoundedPipe.readAhead(endless, 2, 1024);
        assertThat(in.read(new byte[10])).isEqualTo(10);
        in.close(); // would hang or grow without bound if the reader ignored it
    }
}
