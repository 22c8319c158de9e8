package dev.lifeboat.inspect.content;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Values encrypted at rest by the API server start with {@code k8s:enc:<provider>:<version>:}
 * ({@code aescbc}, {@code aesgcm}, {@code secretbox}, {@code kms} v1 and v2).
 */
public final class EncryptionEnvelope {
    private static final byte[] PREFIX = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SEGMENT = 64;

    private EncryptionEnvelope() {
    }

    /**
     * The provider of an encrypted value: its name, with the envelope version appended when it is not
     * v1 ({@code kms-v2}); empty when the value is not encrypted.
     */
    public static Optional<String> providerOf(ByteBuffer value) {
        int p = value.position();
        int end = value.limit();
        if (end - p < PREFIX.length) {
            return Optional.empty();
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (value.get(p + i) != PREFIX[i]) {
                return Optional.empty();
            }
        }
        int providerStart = p + PREFIX.length;
        int providerEnd = indexOfColon(value, providerStart, end);
        if (providerEnd < 0) {
            return Optional.of("unknown");
        }
        String provider = ascii(value, providerStart, providerEnd);
        int versionEnd = indexOfColon(value, providerEnd + 1, end);
        String version = versionEnd < 0 ? "" : ascii(value, providerEnd + 1, versionEnd);
        return Optional.of(version.isEmpty() || version.equals("v1") ? provider : provider + "-" + version);
    }

    private static int indexOfColon(ByteBuffer value, int from, int end) {
        for (int i = from; i < end && i < from + MAX_SEGMENT; i++) {
            if (value.get(i) == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(ByteBuffer value, int from, int to) {
        byte[] a = new byte[to - from];
        value.get(from, a);
        return new String(a, StandardCharsets.US_ASCII);
    }
}
