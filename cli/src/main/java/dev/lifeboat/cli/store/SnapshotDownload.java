package dev.lifeboat.cli.store;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.common.snapshotfile.EtcdSnapshotFile;
import dev.lifeboat.common.snapshotfile.TrailerDigest;
import dev.lifeboat.store.DecodingInputStream;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams a snapshot object to a file (1 MiB buffer: memory does not grow with the snapshot) and
 * hashes it on the way, once, with common's {@link TrailerDigest}: the whole object's sha256 (what
 * the manifest holds) and whether the 32-byte trailer holds the sha256 of the database before it.
 */
public final class SnapshotDownload {
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
            progress.start("download", manifest.sizeBytes());
            SnapshotEncoding encoding = encodingOf(manifest);
            TrailerDigest digest = null;
            try (InputStream in = new DecodingInputStream(encoding, store.get(key));
                 FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                digest = new TrailerDigest(Channels.newOutputStream(out));
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    digest.write(buf, 0, n);
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
                        + " broke off after " + (digest == null ? 0 : digest.size()) + " bytes: " + e.getMessage());
            } finally {
                progress.finish();
            }
            long written = digest.size();
            if (written != manifest.sizeBytes()) {
                throw Failure.CHECKSUM_MISMATCH.because(key + " has " + written + " bytes, its manifest says "
                        + manifest.sizeBytes() + (written < manifest.sizeBytes() ? " (truncated)" : ""));
            }
            String actual = digest.sha256Hex();
            if (!actual.equalsIgnoreCase(manifest.sha256())) {
                throw Failure.CHECKSUM_MISMATCH.because("sha256 of " + key + " is " + actual + ", its manifest says "
                        + manifest.sha256());
            }
            if (written < EtcdSnapshotFile.TRAILER) {
                throw Failure.CHECKSUM_MISMATCH.because(key + " has " + written + " bytes: no etcd snapshot is that short");
            }
            if (!digest.trailerMatches()) {
                throw Failure.CHECKSUM_MISMATCH.because("the trailer of " + key + " is not the sha256 of the database "
                        + "before it: the snapshot was damaged before it was stored");
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
}
