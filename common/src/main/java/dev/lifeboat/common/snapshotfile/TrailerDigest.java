package dev.lifeboat.common.snapshotfile;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes an etcd snapshot stream as it passes: the sha256 of the whole object (for the manifest)
 * and the sha256 of everything but the last 32 bytes, which must equal those 32 bytes (etcd's
 * trailer). Keeps only the last 32 bytes, never the stream. Closing it does not close the stream
 * it writes to: the end of that stream is signalled separately.
 */
public final class TrailerDigest extends FilterOutputStream {
    private static final int TRAILER = EtcdSnapshotFile.TRAILER;

    private final MessageDigest whole = Sha256.newDigest();
    private final MessageDigest body = Sha256.newDigest();
    private final byte[] tail = new byte[TRAILER];
    private int tailLength;
    private long size;

    public TrailerDigest(OutputStream out) {
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

    private void update(byte[] b, int off, int len) {
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

    @Override
    public void close() {
        // intentionally empty: see the class comment
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
        return tailLength == TRAILER && MessageDigest.isEqual(body.digest(), tail);
    }

    /** {@link EtcdSnapshotFile#sizeRuleHolds} of the bytes seen. */
    public boolean sizeRuleHolds() {
        return EtcdSnapshotFile.sizeRuleHolds(size);
    }
}
