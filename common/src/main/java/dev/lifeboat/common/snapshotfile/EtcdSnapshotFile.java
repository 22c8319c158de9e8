package dev.lifeboat.common.snapshotfile;

/**
 * Facts of the file {@code etcdctl snapshot save} writes (and etcd's snapshot stream sends): a
 * bbolt database of whole pages followed by a 32-byte trailer, the sha256 of the database.
 */
public final class EtcdSnapshotFile {
    /** Length of the sha256 trailer etcd appends to the database. */
    public static final int TRAILER = 32;
    /** bbolt page sizes are multiples of this, so a database is too. */
    public static final int BLOCK = 512;

    private EtcdSnapshotFile() {}

    /**
     * etcd's size rule: a non-empty database of whole 512-byte blocks, then the trailer. etcd
     * itself tests {@code size % 512 == 32} before a restore; a file of only the 32 trailer bytes
     * passes that test but holds no database, so here it breaks the rule (a stream cut to its last
     * bytes is a truncated snapshot, not a corrupt database).
     */
    public static boolean sizeRuleHolds(long size) {
        return size > TRAILER && (size - TRAILER) % BLOCK == 0;
    }

    /** Bytes of the database inside a file of {@code size} bytes (which must pass the size rule). */
    public static long databaseSize(long size) {
        if (!sizeRuleHolds(size)) {
            throw new IllegalArgumentException(sizeRuleBroken(size));
        }
        return size - TRAILER;
    }

    /** The readable reason for a size that breaks the rule. */
    public static String sizeRuleBroken(long size) {
        return "snapshot of " + size + " bytes breaks etcd's size rule (a database of whole 512-byte blocks "
                + "plus a 32-byte sha256 trailer)";
    }
}
