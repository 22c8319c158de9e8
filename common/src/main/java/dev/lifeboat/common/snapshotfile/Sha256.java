package dev.lifeboat.common.snapshotfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hex sha256 and length of a stream, read in fixed-size buffers: memory does not grow with
 * the stream, so a snapshot of any size is hashed (and copied) in one pass.
 */
public record Sha256(String hex, long bytes) {
    private static final int BUFFER = 1 << 20;

    /** Reads {@code in} to its end (it is not closed). */
    public static Sha256 of(InputStream in) throws IOException {
        return copy(in, OutputStream.nullOutputStream());
    }

    public static Sha256 of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Copies {@code in} to {@code out}, hashing on the way (neither stream is closed). */
    public static Sha256 copy(InputStream in, OutputStream out) throws IOException {
        HashingInputStream hashing = new HashingInputStream(in);
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = hashing.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return hashing.result();
    }

    /** Hex sha256 of {@code bytes}. */
    public static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether this is {@code hex} (either case) and {@code bytes} long. */
    public boolean matches(String expectedHex, long expectedBytes) {
        return hex.equalsIgnoreCase(expectedHex) && bytes == expectedBytes;
    }
}
