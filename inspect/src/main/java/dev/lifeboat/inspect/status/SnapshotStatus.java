package dev.lifeboat.inspect.status;

import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.bolt.EntryVisitor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The four figures of {@code etcdctl snapshot status} (etcd 3.4/3.5) for a bbolt database:
 * HASH is CRC-32C over each top-level bucket in name order (the name, then every key and value of its
 * direct entries; a nested bucket contributes only its key), REVISION the main revision of the last key
 * of bucket {@code key}, TOTAL KEYS the number of direct entries of all top-level buckets, TOTAL SIZE
 * the page count times the page size.
 */
public record SnapshotStatus(long hash, long revision, long totalKeys, long totalSize) {
    private static final ByteBuffer KEY_BUCKET = ByteBuffer.wrap("key".getBytes(StandardCharsets.US_ASCII));

    /** Walks the whole database once, validating it on the way. */
    public static SnapshotStatus of(BoltReader reader) throws BoltFormatException {
        CRC32C crc = new CRC32C();
        long[] totalKeys = {0};
        long[] revision = {0};
        reader.walk(name -> {
            crc.update(name.duplicate());
            boolean keyBucket = name.equals(KEY_BUCKET);
            return (EntryVisitor) (key, value) -> {
                if (keyBucket) {
                    revision[0] = Revisions.mainOf(key);
                }
                crc.update(key.duplicate());
                if (value != null) {
                    crc.update(value.duplicate());
                }
                totalKeys[0]++;
            };
        }, false);
        return new SnapshotStatus(crc.getValue(), revision[0], totalKeys[0], reader.meta().databaseSize());
    }
}
