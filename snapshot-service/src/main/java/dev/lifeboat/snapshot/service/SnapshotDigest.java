package dev.lifeboat.snapshot.service;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Hashes an etcd snapshot stream as it passes: the sha256 of the whole object (for the manifest)
 * and the sha256 of everything but the last 32 bytes, which must equal those 32 bytes (etcd's
 * trailer). Keeps only the last 32 bytes, never the stream.
 */
public final class SnapshotDigest extends FilterOutputStream {
    public static final int TRAILER = 32;

    private final MessageDigest whole = sha256();
    private final MessageDigest body = sha256();
    private final byte[] tail = new byte[TRAILER];
    private int tailLength;
    private long size;

    public SnapshotDigest(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        update(b, off, len);
        out.write(b, off, len);
    }

    void update(byte[] b, int off, int len) {
        whole.update(b, off, len);
        size += len;
        if (len >= TRAILER) {
            body.update(tail, 0, tailLength);
            body.update(b, off, len - TRAILER);
            System.arraycopy(b, off + len - TRAILER, tail, 0, TRAILER);
            tailLength = TRAILER;
            return;
        }
        int overflow = tailLength + len - TRAILER;
        if (overflow > 0) {
            body.update(tail, 0, overflow);
            System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
            tailLength -= overflow;
        }
        System.arraycopy(b, off, tail, tailLength, len);
        tailLength += len;
    }

    /** Closing must not close the pipe: the end of the stream is signalled separately. */
    @Override
    public void close() {
        // intentionally empty
    }

    public long size() {
        return size;
    }

    /** Hex sha256 of every byte seen. Call once, after the stream ended. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(whole.digest());
    }

    /** True when the last 32 bytes are the sha256 of the bytes before them. Call once. */
    public boolean trailerMatches() {
        return tailLength == TRAILER && Arrays.equals(body.digest(), tail);
    }

    /** etcd's size rule: a bbolt file of whole 512-byte multiples, then the 32-byte trailer. */
    public boolean sizeRuleHolds() {
        return size > TRAILER && (size - TRAILER) % 512 == 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
