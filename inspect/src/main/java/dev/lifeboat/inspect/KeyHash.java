package dev.lifeboat.inspect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A fast, well-mixed 64-bit hash of key bytes (collisions among a few million keys are negligible). */
final class KeyHash {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private KeyHash() {
    }

    static long of(ByteBuffer key) {
        ByteBuffer b = key.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = b.position();
        int end = b.limit();
        long h = K2 ^ (end - p);
        for (; p + 8 <= end; p += 8) {
            h = Long.rotateLeft(h ^ mix(b.getLong(p)), 27) * K1 + K2;
        }
        long tail = 0;
        for (int shift = 0; p < end; p++, shift += 8) {
            tail |= (long) (b.get(p) & 0xff) << shift;
        }
        h ^= mix(tail);
        return finish(h);
    }

    private static long mix(long v) {
        return Long.rotateLeft(v * K2, 31) * K1;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
