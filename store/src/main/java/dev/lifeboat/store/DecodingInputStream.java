package dev.lifeboat.store;

import java.io.FilterInputStream;
import java.io.InputStream;

import dev.lifeboat.common.snapshotfile.HashingInputStream;

/**
 * The read side of a {@link SnapshotEncoding}: the stored object's bytes in, the raw snapshot
 * bytes out; the stored bytes' size and sha256 are measured on the way, to be checked against the
 * manifest's {@code storedSizeBytes} and {@code storedSha256} once the stream is read to its end.
 */
public final class DecodingInputStream extends FilterInputStream {
    private final HashingInputStream measured;

    public DecodingInputStream(SnapshotEncoding encoding, InputStream stored) {
        super(null);
        this.measured = new HashingInputStream(stored);
        this.in = encoding.unwrap(measured);
    }

    public long storedSize() {
        return measured.bytes();
    }

    /** Hex sha256 of the stored bytes read so far; call once, at the end. */
    public String storedSha256Hex() {
        return measured.result().hex();
    }
}
