package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of the two meta pages of a bbolt file: where the tree starts and how big the database is.
 *
 * @param page         which meta page (0 or 1) this was read from
 * @param pageSize     bytes per page
 * @param root         page id of the root bucket
 * @param rootSequence the root bucket's sequence counter
 * @param freelist     page id of the freelist, or {@link #NO_FREELIST}
 * @param pgid         the first page id past the end of the database
 * @param txid         the transaction that wrote this meta; the higher one wins
 */
public record BoltMeta(int page, int pageSize, long root, long rootSequence, long freelist, long pgid, long txid) {
    public static final int MAGIC = 0xED0CDAED;
    public static final int VERSION = 2;
    public static final long NO_FREELIST = -1L;
    static final int META_FLAG = 0x04;
    private static final int META_OFFSET = 16;
    private static final int CHECKSUMMED_BYTES = 56;

    /** The database size in bytes, the figure {@code etcdctl snapshot status} calls TOTAL SIZE. */
    public long databaseSize() {
        return pgid * pageSize;
    }

    /**
     * Reads a meta page; {@code page} holds at least 80 bytes starting at the page header.
     *
     * @throws BoltFormatException when magic, version, checksum or page flags are wrong
     */
    public static BoltMeta parse(ByteBuffer page, long expectedId) throws BoltFormatException {
        ByteBuffer b = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < META_OFFSET + CHECKSUMMED_BYTES + 8) {
            throw new BoltFormatException("meta page " + expectedId + " is shorter than a meta", true);
        }
        int base = b.position();
        long id = b.getLong(base);
        int flags = Short.toUnsignedInt(b.getShort(base + 8));
        if (id != expectedId || (flags & META_FLAG) == 0) {
            throw new BoltFormatException("page " + expectedId + " is not a meta page");
        }
        int m = base + META_OFFSET;
        if (b.getInt(m) != MAGIC) {
            throw new BoltFormatException("meta page " + expectedId + " has a wrong magic number");
        }
        if (b.getInt(m + 4) != VERSION) {
            throw new BoltFormatException("meta page " + expectedId + " has an unsupported version " + b.getInt(m + 4));
        }
        long checksum = b.getLong(m + CHECKSUMMED_BYTES);
        if (checksum != fnv1a64(b, m, CHECKSUMMED_BYTES)) {
            throw new BoltFormatException("meta page " + expectedId + " fails its checksum");
        }
        int pageSize = b.getInt(m + 8);
        if (pageSize < 512 || pageSize > (1 << 20) || Integer.bitCount(pageSize) != 1) {
            throw new BoltFormatException("meta page " + expectedId + " has an impossible page size " + pageSize);
        }
        long root = b.getLong(m + 16);
        long rootSequence = b.getLong(m + 24);
        long freelist = b.getLong(m + 32);
        long pgid = b.getLong(m + 40);
        long txid = b.getLong(m + 48);
        if (pgid < 3 || pgid > Long.MAX_VALUE / pageSize) {
            throw new BoltFormatException("meta page " + expectedId + " has an impossible page count " + pgid);
        }
        if (root < 2 || root >= pgid) {
            throw new BoltFormatException("meta page " + expectedId + " points its root outside the database");
        }
        return new BoltMeta((int) expectedId, pageSize, root, rootSequence, freelist, pgid, txid);
    }

    /**
     * The meta page of the transaction after this one, as bbolt's commit writes it: txid + 1, the
     * given root and page count, no freelist on disk (bbolt rebuilds it from the tree on open, as
     * etcd's own commits leave it), checksummed. It goes into the other meta page, so this one stays
     * valid until the new one is complete.
     *
     * @return a whole page, little-endian, position 0
     */
    public ByteBuffer successorPage(long newRoot, long newPgid) {
        int id = 1 - page;
        ByteBuffer b = ByteBuffer.allocate(pageSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, id);
        b.putShort(8, (short) META_FLAG);
        int m = META_OFFSET;
        b.putInt(m, MAGIC);
        b.putInt(m + 4, VERSION);
        b.putInt(m + 8, pageSize);
        b.putInt(m + 12, 0);
        b.putLong(m + 16, newRoot);
        b.putLong(m + 24, rootSequence);
        b.putLong(m + 32, NO_FREELIST);
        b.putLong(m + 40, newPgid);
        b.putLong(m + 48, txid + 1);
        b.putLong(m + CHECKSUMMED_BYTES, fnv1a64(b, m, CHECKSUMMED_BYTES));
        return b;
    }

    /** FNV-1a, 64 bit: bbolt's meta checksum. */
    static long fnv1a64(ByteBuffer b, int from, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            hash ^= b.get(i) & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
