package dev.lifeboat.inspect.status;

import dev.lifeboat.inspect.bolt.BoltFormatException;

import java.nio.ByteBuffer;

/**
 * Keys of etcd's bucket {@code key}: 8-byte big-endian main revision, {@code '_'}, 8-byte big-endian
 * sub revision, and a trailing {@code 't'} when the entry is a deletion (tombstone).
 */
public final class Revisions {
    public static final int LENGTH = 17;
    public static final int TOMBSTONE_LENGTH = 18;

    private Revisions() {
    }

    /** The 17-byte key of revision {@code main}/{@code sub}, as etcd's {@code revToBytes} writes it. */
    public static byte[] key(long main, long sub) {
        return ByteBuffer.allocate(LENGTH).putLong(main).put((byte) '_').putLong(sub).array();
    }

    /** The main revision of a revision key. */
    public static long mainOf(ByteBuffer key) throws BoltFormatException {
        if (key.remaining() < 8) {
            throw new BoltFormatException("revision key of " + key.remaining() + " bytes");
        }
        return key.getLong(key.position());
    }

    /** The sub revision (position inside the transaction) of a revision key. */
    public static long subOf(ByteBuffer key) throws BoltFormatException {
        checkShape(key);
        return key.getLong(key.position() + 9);
    }

    /** Whether the key marks a deletion. */
    public static boolean isTombstone(ByteBuffer key) throws BoltFormatException {
        checkShape(key);
        return key.remaining() == TOMBSTONE_LENGTH;
    }

    private static void checkShape(ByteBuffer key) throws BoltFormatException {
        int n = key.remaining();
        int p = key.position();
        boolean shaped = (n == LENGTH || (n == TOMBSTONE_LENGTH && key.get(p + LENGTH) == 't')) && key.get(p + 8) == '_';
        if (!shaped) {
            throw new BoltFormatException("malformed revision key of " + n + " bytes");
        }
    }
}
