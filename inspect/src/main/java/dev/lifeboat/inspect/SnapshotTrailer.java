package dev.lifeboat.inspect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The 32 bytes etcd appends to a snapshot: the sha256 of everything before them. A snapshot file is
 * therefore {@code pgid × pageSize + 32} bytes long, and pages are multiples of 512 bytes.
 */
final class SnapshotTrailer {
    static final int LENGTH = 32;
    private static final int CHUNK = 1 << 20;

    private SnapshotTrailer() {
    }

    /** Whether the size can be a database of whole pages plus the trailer. */
    static boolean sizeRuleHolds(long size) {
        return size >= LENGTH && size % 512 == LENGTH;
    }

    /** Streams the file once; returns null when the trailer matches, else what was found. */
    static String mismatch(FileChannel channel, long databaseSize) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            long position = 0;
            while (position < databaseSize) {
                chunk.clear().limit((int) Math.min(CHUNK, databaseSize - position));
                int n = channel.read(chunk, position);
                if (n < 0) {
                    throw new IOException("file shrank while it was read");
                }
                position += n;
                sha.update(chunk.flip());
            }
            ByteBuffer trailer = ByteBuffer.allocate(LENGTH);
            while (trailer.hasRemaining()) {
                if (channel.read(trailer, databaseSize + trailer.position()) < 0) {
                    throw new IOException("file shrank while it was read");
                }
            }
            byte[] expected = trailer.array();
            byte[] actual = sha.digest();
            if (MessageDigest.isEqual(expected, actual)) {
                return null;
            }
            return "trailer " + HexFormat.of().formatHex(expected) + " but the data hashes to "
                    + HexFormat.of().formatHex(actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
