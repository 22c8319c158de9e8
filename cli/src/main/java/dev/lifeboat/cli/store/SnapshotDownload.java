package dev.lifeboat.cli.store;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.store.DecodingInputStream;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams a snapshot object to a file (1 MiB buffer: memory does not grow with the snapshot) and
 * hashes it on the way, once: the digest is cloned where the 32-byte trailer starts, which gives the
 * database's sha256 (what the trailer must hold) and then the whole object's (what the manifest holds).
 */
public final class SnapshotDownload {
    private static final int TRAILER = 32;
    private static final int BUFFER = 1 << 20;

    private SnapshotDownload() {
    }

    /** A downloaded object whose size, sha256 and trailer have been checked against its manifest. */
    public record Checked(Path file, long size) {
    }

    /**
     * Downloads {@code key} into a new file in {@code dir} and checks it; the file is deleted on any failure.
     *
     * @throws dev.lifeboat.cli.CommandFailure CHECKSUM_MISMATCH, NO_SUCH_SNAPSHOT, STORE_UNREACHABLE
     */
    public static Checked fetch(ObjectStore store, String key, SnapshotManifest manifest, Path dir, Progress progress)
            throws IOException {
        Path file = Files.createTempFile(dir, ".lifeboat-download-", ".part");
        boolean ok = false;
        try {
            MessageDigest sha = sha256();
            byte[] databaseSha = null;
            long boundary = manifest.sizeBytes() - TRAILER;
            long written = 0;
            progress.start("download", manifest.sizeBytes());
            SnapshotEncoding encoding = encodingOf(manifest);
            try (InputStream in = new DecodingInputStream(encoding, store.get(key));
                 FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    int before = (int) Math.max(0, Math.min(n, boundary - written));
                    if (databaseSha == null && before < n && written + before == boundary) {
                        sha.update(buf, 0, before);
                        databaseSha = ((MessageDigest) sha.clone()).digest();
                        sha.update(buf, before, n - before);
                    } else {
                        sha.update(buf, 0, n);
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    written += n;
                    progress.advance(n);
                }
                out.force(false);
            } catch (ObjectMissingException e) {
                throw Failure.NO_SUCH_SNAPSHOT.because(key + " is not in region " + store.regionName()
                        + " although its manifest is: the snapshot was deleted");
            } catch (StoreException e) {
                throw Failure.STORE_UNREACHABLE.because(e.getMessage());
            } catch (IOException e) {
                throw Failure.STORE_UNREACHABLE.because("download of " + key + " from region " + store.regionName()
                        + " broke off after " + written + " bytes: " + e.getMessage());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            } finally {
                progress.finish();
            }
            if (written != manifest.sizeBytes()) {
                throw Failure.CHECKSUM_MISMATCH.because(key + " has " + written + " bytes, its manifest says "
                        + manifest.sizeBytes() + (written < manifest.sizeBytes() ? " (truncated)" : ""));
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equalsIgnoreCase(manifest.sha256())) {
                throw Failure.CHECKSUM_MISMATCH.because("sha256 of " + key + " is " + actual + ", its manifest says "
                        + manifest.sha256());
            }
            if (boundary < 0) {
                throw Failure.CHECKSUM_MISMATCH.because(key + " has " + written + " bytes: no etcd snapshot is that short");
            }
            byte[] trailer = new byte[TRAILER];
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer t = ByteBuffer.wrap(trailer);
                while (t.hasRemaining() && in.read(t, boundary + t.position()) > 0) {
                    // reads the last 32 bytes
                }
            }
            if (databaseSha == null || !MessageDigest.isEqual(databaseSha, trailer)) {
                throw Failure.CHECKSUM_MISMATCH.because("the trailer of " + key + " says sha256 "
                        + HexFormat.of().formatHex(trailer) + " but the database hashes to "
                        + (databaseSha == null ? "nothing" : HexFormat.of().formatHex(databaseSha))
                        + ": the snapshot was damaged before it was stored");
            }
            ok = true;
            return new Checked(file, written);
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Only encodings this version can decode: the file written is always the raw etcd snapshot. */
    private static SnapshotEncoding encodingOf(SnapshotManifest manifest) {
        try {
            return SnapshotEncoding.named(manifest.encoding());
        } catch (IllegalArgumentException e) {
            throw Failure.NO_SUCH_SNAPSHOT.because(e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
