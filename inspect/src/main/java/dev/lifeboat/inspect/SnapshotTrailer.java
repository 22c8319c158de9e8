package dev.lifeboat.inspect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.lifeboat.common.snapshotfile.EtcdSnapshotFile;
import dev.lifeboat.common.snapshotfile.Sha256;

/**
 * Checks the 32 bytes etcd appends to a snapshot, the sha256 of everything before them, by
 * positional reads of the file (the size rule itself is {@link dev.lifeboat.common.snapshotfile.EtcdSnapshotFile}'s).
 */
final class SnapshotTrailer {
    private static final int CHUNK = 1 << 20;

    private SnapshotTrailer() {
    }

    /** Streams the file once; returns null when the trailer matches, else what was found. */
    static String mismatch(FileChannel channel, long databaseSize) {
        try {
            MessageDigest sha = Sha256.newDigest();
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
            ByteBuffer trailer = ByteBuffer.allocate(EtcdSnapshotFile.TRAILER);
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
        }
    }
}
