package dev.lifeboat.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The write side of a {@link SnapshotEncoding}: raw snapshot bytes in, the stored object's bytes
 * out to {@code stored}, whose size and sha256 are measured on the way (the manifest's
 * {@code storedSizeBytes} and {@code storedSha256}). {@link #finish()} ends the encoding without
 * closing {@code stored}.
 */
public final class EncodingOutputStream extends OutputStream {
    private final MessageDigest sha = sha256();
    private final OutputStream encoder;
    private long storedSize;
    private boolean finished;

    public EncodingOutputStream(SnapshotEncoding encoding, OutputStream stored) {
        OutputStream measured = new FilterOutputStream(stored) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sha.update(b, off, len);
                storedSize += len;
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the end of the stored stream is the caller's to signal
            }
        };
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
        return storedSize;
    }

    /** Hex sha256 of the stored bytes; call once, after {@link #finish()}. */
    public String storedSha256Hex() {
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
