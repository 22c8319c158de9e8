package dev.lifeboat.verifier.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.StoreException;

/**
 * Reads a snapshot object once, to a local file, computing its sha256 on the way: the
 * inspection and the drill need random access, and a fixed buffer keeps memory flat whatever the
 * snapshot's size.
 */
public final class SnapshotDownloader {
    private static final int BUFFER = 1 << 20;

    private SnapshotDownloader() {}

    /**
     * Streams {@code key} into a new file under {@code dir}. Throws
     * {@link dev.lifeboat.store.ObjectMissingException} when the object is gone and
     * {@link StoreException} when the store fails mid-way; no partial file is left either way.
     */
    public static DownloadedSnapshot download(ObjectStore store, String key, Path dir) {
        long began = System.nanoTime();
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "snapshot-", ".db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a local file for " + key + " under " + dir, e);
        }
        MessageDigest sha = sha256();
        long size = 0;
        boolean complete = false;
        try (InputStream in = store.get(key); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            complete = true;
        } catch (IOException e) {
            throw new StoreException("reading " + key + " from region " + store.regionName() + " broke off after "
                    + size + " bytes: " + e.getMessage(), e);
        } finally {
            if (!complete) {
                delete(file);
            }
        }
        return new DownloadedSnapshot(file, size, HexFormat.of().formatHex(sha.digest()),
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
