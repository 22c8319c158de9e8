package dev.lifeboat.verifier.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private SnapshotDownloader() {}

    /**
     * Streams the object the manifest names into a new file under {@code dir}, decoded by the
     * manifest's encoding: the file is the raw etcd snapshot. Both the stored bytes and the raw
     * file are measured, so each can be checked against the manifest. Throws
     * {@link dev.lifeboat.store.ObjectMissingException} when the object is gone and
     * {@link StoreException} when the store fails mid-way; no partial file is left either way.
     */
    public static DownloadedSnapshot download(ObjectStore store, SnapshotManifest manifest, Path dir) {
        return download(store, SnapshotLayout.objectKey(manifest), SnapshotEncoding.named(manifest.encoding()), dir);
    }

    /** Streams {@code key}, stored with {@code encoding}, into a new file under {@code dir}. */
    public static DownloadedSnapshot download(ObjectStore store, String key, SnapshotEncoding encoding, Path dir) {
        long began = System.nanoTime();
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "snapshot-", ".db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a local file for " + key + " under " + dir, e);
        }
        HashingInputStream in = null;
        boolean complete = false;
        DecodingInputStream stored = null;
        try (OutputStream out = Files.newOutputStream(file)) {
            stored = new DecodingInputStream(encoding, store.get(key));
            in = new HashingInputStream(stored);
            try (InputStream source = in) {
                source.transferTo(out);
            }
            complete = true;
        } catch (IOException e) {
            throw new StoreException("reading " + key + " from region " + store.regionName() + " broke off after "
                    + (in == null ? 0 : in.bytes()) + " bytes: " + e.getMessage(), e);
        } finally {
            if (!complete) {
                delete(file);
            }
        }
        Sha256 sha = in.result();
        return new DownloadedSnapshot(file, sha.bytes(), sha.hex(), stored.storedSize(), stored.storedSha256Hex(),
                (System.nanoTime() - began) / 1_000_000);
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
