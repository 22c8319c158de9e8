package dev.lifeboat.verifier.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import dev.lifeboat.common.snapshotfile.HashingInputStream;
import dev.lifeboat.common.snapshotfile.Sha256;
import dev.lifeboat.store.DecodingInputStream;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;

/**
 * Reads a snapshot object once, to a local file, computing its sha256 on the way: the
 * inspection and the drill need random access, and a fixed buffer keeps memory flat whatever the
 * snapshot's size.
 */
public final class SnapshotDownloader {
    private static final int BUFFER = 1024 * 1024;

    private SnapshotDownloader() {}

    /**
     * Streams the object the manifest names into a new file under {@code dir}, decoded by the
     * manifest's encoding: the file is the raw etcd snapshot. Both the stored bytes and the raw
     * file are measured, so each can be checked against the manifest. Throws
     * {@link dev.lifeboat.store.ObjectMissingException} when the object is gone,
     * {@link StoreException} when the store fails mid-way and {@link ScratchSpaceException} when
     * the local file cannot be written (a full disk is not a store outage); no partial file is
     * left either way.
     */
    public static DownloadedSnapshot download(ObjectStore store, SnapshotManifest manifest, Path dir)
            throws ScratchSpaceException {
        return download(store, SnapshotLayout.objectKey(manifest), SnapshotEncoding.named(manifest.encoding()), dir);
    }

    /** Streams {@code key}, stored with {@code encoding}, into a new file under {@code dir}. */
    public static DownloadedSnapshot download(ObjectStore store, String key, SnapshotEncoding encoding, Path dir)
            throws ScratchSpaceException {
        long began = System.nanoTime();
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "snapshot-", ".db");
        } catch (IOException e) {
            throw new ScratchSpaceException("cannot create a local file for " + key + " under " + dir + ": " + e, e);
        }
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            DecodingInputStream stored = new DecodingInputStream(encoding, store.get(key));
            HashingInputStream in = new HashingInputStream(stored);
            try {
                copy(in, out, file, () -> "reading " + key + " from region " + store.regionName()
                        + " broke off after " + in.bytes() + " bytes");
            } finally {
                closeQuietly(in);
            }
            complete = true;
            Sha256 sha = in.result();
            return new DownloadedSnapshot(file, sha.bytes(), sha.hex(), stored.storedSize(), stored.storedSha256Hex(),
                    (System.nanoTime() - began) / 1_000_000);
        } catch (IOException e) {
            // closing the local file failed: its last bytes may not be on disk
            throw new ScratchSpaceException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (!complete) {
                delete(file);
            }
        }
    }

    /** Copies with a fixed buffer, telling a failed read (the store) from a failed write (the local disk). */
    private static void copy(InputStream in, OutputStream out, Path file, Supplier<String> readFailure)
            throws ScratchSpaceException {
        byte[] buffer = new byte[BUFFER];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new StoreException(readFailure.get() + ": " + e.getMessage(), e);
            }
            if (n < 0) {
                return;
            }
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new ScratchSpaceException("cannot write " + file + " on the local disk: " + e.getMessage(), e);
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // everything was read (or the read already failed): nothing to add
        }
    }

    /** Removes a downloaded file; a file already gone is fine. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temp file must not turn a verdict into an error
        }
    }
}
