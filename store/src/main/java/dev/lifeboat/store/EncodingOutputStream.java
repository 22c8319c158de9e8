package dev.lifeboat.store;

import java.io.IOException;
import java.io.OutputStream;

import dev.lifeboat.common.snapshotfile.HashingOutputStream;

/**
 * The write side of a {@link SnapshotEncoding}: raw snapshot bytes in, the stored object's bytes
 * out to {@code stored}, whose size and sha256 are measured on the way (the manifest's
 * {@code storedSizeBytes} and {@code storedSha256}). {@link #finish()} ends the encoding without
 * closing {@code stored}.
 */
public final class EncodingOutputStream extends OutputStream {
    private final HashingOutputStream measured;
    private final OutputStream encoder;
    private boolean finished;

    public EncodingOutputStream(SnapshotEncoding encoding, OutputStream stored) {
        // closing it flushes only: the end of the stored stream is the caller's to signal
        this.measured = new HashingOutputStream(stored);
        this.encoder = encoding.wrap(measured);
    }

    @Override
    public void write(int b) throws IOException {
        encoder.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        encoder.write(b, off, len);
    }

    /** Writes what the encoding still holds (e.g. a compressor's last block); {@code stored} stays open. */
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            encoder.close();
        }
    }

    /** Closing does not end the stored stream; see {@link #finish()}. */
    @Override
    public void close() {
        // intentionally empty
    }

    public long storedSize() {
        return measured.bytes();
    }

    /** Hex sha256 of the stored bytes; call once, after {@link #finish()}. */
    public String storedSha256Hex() {
        return measured.result().hex();
    }
}
