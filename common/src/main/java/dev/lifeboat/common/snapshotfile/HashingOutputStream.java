package dev.lifeboat.common.snapshotfile;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes and counts the bytes written through it. Closing flushes but does not close the stream it
 * writes to: the end of that stream is the caller's to signal.
 */
public final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private long bytes;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        bytes += len;
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    /** The sha256 of the bytes written; call once, at the end. */
    public Sha256 result() {
        return new Sha256(HexFormat.of().formatHex(digest.digest()), bytes);
    }
}
