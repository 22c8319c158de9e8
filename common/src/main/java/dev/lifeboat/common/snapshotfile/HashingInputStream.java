package dev.lifeboat.common.snapshotfile;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes and counts the bytes read through it, so a reader that fails mid-way still knows how far it got. */
public final class HashingInputStream extends FilterInputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private long bytes;

    public HashingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            bytes++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            bytes += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must pass through the digest
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    public long bytes() {
        return bytes;
    }

    /** The sha256 of the bytes read; call once, at the end of the stream. */
    public Sha256 result() {
        return new Sha256(HexFormat.of().formatHex(digest.digest()), bytes);
    }
}
