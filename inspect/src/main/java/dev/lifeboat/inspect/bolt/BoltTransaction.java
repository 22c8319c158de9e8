package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A write transaction on a bbolt database in pure Java, for the few entries a restore changes.
 * Copy-on-write like bbolt's own commit: every page on the path from the root to a changed leaf is
 * written anew, bucket headers (inline or not, as bbolt decides) and the root bucket follow, and a new
 * meta page with txid + 1 goes into the meta slot that does not hold the current meta.
 *
 * <p>New pages are always appended past the current end of the database, never placed in free pages,
 * so nothing the current meta can reach is overwritten before the new meta is on disk: a crash at any
 * point leaves the database as it was or as committed. The new meta records no freelist (as etcd's own
 * commits leave it); bbolt then rebuilds the freelist from the pages the tree does not reach, which
 * include the replaced ones and any freelist page written earlier.
 *
 * <p>Not thread-safe, and the file must not be open in etcd (or any other bbolt writer) meanwhile.
 */
public final class BoltTransaction {
    /** bbolt's own limit (MaxKeySize). */
    static final int MAX_KEY_SIZE = 32768;
    private final BoltMeta meta;
    private final PageStore pages;
    private final BoltBucket root;
    private final Map<String, BoltBucket> buckets = new TreeMap<>();
    private final List<ByteBuffer> appended = new ArrayList<>();
    private long nextPage;
    private boolean prepared;

    private BoltTransaction(BoltMeta meta, PageStore pages) {
        this.meta = meta;
        this.pages = pages;
        this.root = BoltBucket.root(this, meta.root(), meta.rootSequence());
        this.nextPage = meta.pgid();
    }

    /**
     * Starts a transaction on the valid meta page with the higher txid.
     *
     * @param databaseSize bytes of the file that belong to the database (an etcd snapshot adds a
     *                     32-byte trailer after them; a data directory's db may hold unused bytes)
     */
    public static BoltTransaction begin(FileChannel channel, long databaseSize) throws BoltFormatException {
        BoltMeta meta = BoltReader.open(channel, databaseSize).meta();
        return new BoltTransaction(meta, new PageStore(channel, meta.pageSize(), meta.pgid()));
    }

    /** The meta page this transaction started from. */
    public BoltMeta meta() {
        return meta;
    }

    /** The value of {@code key} in the top-level bucket, or null when absent. */
    public byte[] get(String bucket, byte[] key) throws BoltFormatException {
        int[] flags = new int[1];
        byte[] value = bucket(bucket).get(key, flags);
        if (value != null && flags[0] != 0) {
            throw new BoltFormatException("key in bucket " + bucket + " is a nested bucket, not a value");
        }
        return value;
    }

    /** The highest key in the top-level bucket, or null when it is empty. */
    public byte[] lastKey(String bucket) throws BoltFormatException {
        return bucket(bucket).lastKey();
    }

    /** Sets {@code key} to {@code value} in the top-level bucket, which must exist. */
    public void put(String bucket, byte[] key, byte[] value) throws BoltFormatException {
        if (prepared) {
            throw new IllegalStateException("transaction already prepared");
        }
        if (key.length == 0 || key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("a bbolt key holds 1 to " + MAX_KEY_SIZE + " bytes, not " + key.length);
        }
        bucket(bucket).put(key.clone(), value.clone(), 0);
    }

    /**
     * Writes every changed node into new pages (in memory) and builds the new meta page. The result
     * is written with {@link BoltCommit#write(FileChannel)}; nothing touches the file before that.
     */
    public BoltCommit prepare() throws BoltFormatException {
        if (prepared) {
            throw new IllegalStateException("transaction already prepared");
        }
        prepared = true;
        long start = meta.pgid();
        for (Map.Entry<String, BoltBucket> e : buckets.entrySet()) {
            if (e.getValue().changed()) {
                byte[] header = e.getValue().commit();
                root.put(e.getKey().getBytes(StandardCharsets.UTF_8), header, BoltNode.BUCKET_FLAG);
            }
        }
        long newRoot = meta.root();
        if (root.changed()) {
            root.commit();
            newRoot = root.rootPage();
        }
        int pageSize = meta.pageSize();
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact((nextPage - start) * pageSize));
        for (ByteBuffer page : appended) {
            long id = page.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            bytes.put(Math.toIntExact((id - start) * pageSize), page, 0, page.capacity());
        }
        return new BoltCommit(pageSize, start, bytes, 1 - meta.page(), meta.successorPage(newRoot, nextPage), nextPage);
    }

    int pageSize() {
        return meta.pageSize();
    }

    /** Each read of the tree from a bucket's root starts a fresh cycle check. */
    void beginDescent() {
        pages.resetVisits();
    }

    BoltNode readNode(long id, int depth) throws BoltFormatException {
        ByteBuffer page = pages.read(id, depth, "bucket tree");
        return BoltNode.read(page, 0, page.limit(), id);
    }

    /**
     * Writes a changed node (its changed children first, so it can point to their new pages) as one
     * or more new pages; returns the branch elements that replace it in its parent.
     */
    List<BoltNode.Element> spill(BoltNode node) throws BoltFormatException {
        for (BoltNode child : node.changedChildren) {
            node.replaceChild(child.pageId, spill(child));
        }
        List<BoltNode.Element> replacements = new ArrayList<>();
        int pageSize = meta.pageSize();
        for (List<BoltNode.Element> run : BoltNode.split(node.elements, pageSize)) {
            int count = BoltNode.pagesFor(run, pageSize);
            long id = nextPage;
            nextPage += count;
            ByteBuffer page = ByteBuffer.allocate(count * pageSize).order(ByteOrder.LITTLE_ENDIAN);
            BoltNode.write(run, node.leaf, id, count - 1, page, 0);
            appended.add(page);
            byte[] first = run.isEmpty() ? new byte[0] : run.get(0).key();
            replacements.add(new BoltNode.Element(0, first, new byte[0], id));
        }
        return replacements;
    }

    private BoltBucket bucket(String name) throws BoltFormatException {
        BoltBucket bucket = buckets.get(name);
        if (bucket == null) {
            int[] flags = new int[1];
            byte[] header = root.get(name.getBytes(StandardCharsets.UTF_8), flags);
            if (header == null || flags[0] != BoltNode.BUCKET_FLAG) {
                throw new BoltFormatException("the database has no bucket " + name);
            }
            bucket = BoltBucket.fromHeader(this, header, name);
            buckets.put(name, bucket);
        }
        return bucket;
    }
}
