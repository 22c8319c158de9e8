package dev.lifeboat.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The read side of a {@link SnapshotEncoding}: the stored object's bytes in, the raw snapshot
 * bytes out; the stored bytes' size and sha256 are measured on the way, to be checked against the
 * manifest's {@code storedSizeBytes} and {@code storedSha256} once the stream is read to its end.
 */
public final class DecodingInputStream extends FilterInputStream {
    private final MessageDigest sha = EncodingOutputStream.sha256();
    private long storedSize;

    public DecodingInputStream(SnapshotEncoding encoding, InputStream stored) {
        super(null);
        InputStream measured = new FilterInputStream(stored) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    sha.update((byte) b);
                    storedSize++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    sha.update(b, off, n);
                    storedSize += n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                throw new IOException("a measured stream is read, not skipped");
            }
        };
        this.in = encoding.unwrap(measured);
    }

    public long storedSize() {
        return storedSize;
    }

    /** Hex sha256 of the stored bytes read so far; call once, at the end. */
    public String storedSha256Hex() {
        return HexFormat.of().formatHex(sha.digest());
    }
}
