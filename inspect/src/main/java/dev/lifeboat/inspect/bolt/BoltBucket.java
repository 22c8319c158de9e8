package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One bucket's tree inside a {@link BoltTransaction}: reads through the pages, and for a change reads
 * the path from the bucket's root to the leaf into {@link BoltNode}s that the commit writes to new
 * pages (copy-on-write; the old pages become free). A bucket whose single leaf is small enough and
 * holds no nested bucket is stored inline in its parent's value, as bbolt decides it.
 */
final class BoltBucket {
    static final int HEADER = 16;

    private final BoltTransaction tx;
    private final boolean mayBeInline;
    private final long root;
    private final long sequence;
    private final byte[] inlinePage;
    private BoltNode rootNode;
    private long newRoot;
    private final Map<Long, BoltNode> changedNodes = new HashMap<>();

    private BoltBucket(BoltTransaction tx, boolean mayBeInline, long root, long sequence, byte[] inlinePage) {
        this.tx = tx;
        this.mayBeInline = mayBeInline;
        this.root = root;
        this.sequence = sequence;
        this.inlinePage = inlinePage;
    }

    /** The root bucket of the database: never inline. */
    static BoltBucket root(BoltTransaction tx, long root, long sequence) {
        return new BoltBucket(tx, false, root, sequence, null);
    }

    /** A bucket from its header value in the parent: {@code u64 root, u64 sequence}, then an inline page when root is 0. */
    static BoltBucket fromHeader(BoltTransaction tx, byte[] header, String name) throws BoltFormatException {
        if (header.length < HEADER) {
            throw new BoltFormatException("bucket " + name + " has a header of " + header.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long root = b.getLong(0);
        byte[] inline = null;
        if (root == 0) {
            if (header.length < HEADER + PageStore.PAGE_HEADER) {
                throw new BoltFormatException("inline bucket " + name + " is shorter than its page header");
            }
            inline = Arrays.copyOfRange(header, HEADER, header.length);
        }
        return new BoltBucket(tx, true, root, b.getLong(8), inline);
    }

    /** The value stored under {@code key}, or null; {@code flags[0]} receives the element flags. */
    byte[] get(byte[] key, int[] flags) throws BoltFormatException {
        tx.beginDescent();
        BoltNode node = rootForRead();
        for (int depth = 1; !node.leaf; depth++) {
            node = childForRead(node, node.childFor(key), depth);
        }
        int i = node.search(key);
        if (i < node.elements.size() && Arrays.equals(node.elements.get(i).key(), key)) {
            flags[0] = node.elements.get(i).flags();
            return node.elements.get(i).value();
        }
        return null;
    }

    /** The highest key of the bucket, or null when it is empty. */
    byte[] lastKey() throws BoltFormatException {
        tx.beginDescent();
        BoltNode node = rootForRead();
        for (int depth = 1; !node.leaf; depth++) {
            node = childForRead(node, node.elements.size() - 1, depth);
        }
        return node.elements.isEmpty() ? null : node.elements.get(node.elements.size() - 1).key();
    }

    /** Inserts or replaces an entry; refuses to overwrite a nested bucket with a value or the reverse. */
    void put(byte[] key, byte[] value, int flags) throws BoltFormatException {
        tx.beginDescent();
        BoltNode node = rootForChange();
        for (int depth = 1; !node.leaf; depth++) {
            node = childForChange(node, node.childFor(key), depth);
        }
        int i = node.search(key);
        if (i < node.elements.size() && Arrays.equals(node.elements.get(i).key(), key)
                && node.elements.get(i).flags() != flags) {
            throw new BoltFormatException("key exists with other flags (bucket against value)");
        }
        node.put(key, value, flags);
    }

    boolean changed() {
        return rootNode != null;
    }

    /**
     * Writes the changed nodes to newly allocated pages and returns the bucket's new header value for
     * its parent (inline when bbolt would inline it); for the root bucket, see {@link #rootPage()}.
     */
    byte[] commit() throws BoltFormatException {
        if (mayBeInline && inlineable()) {
            List<BoltNode.Element> elements = rootNode.elements;
            ByteBuffer value = ByteBuffer.allocate(HEADER + BoltNode.size(elements)).order(ByteOrder.LITTLE_ENDIAN);
            value.putLong(0, 0);
            value.putLong(8, sequence);
            BoltNode.write(elements, true, 0, 0, value, HEADER);
            return value.array();
        }
        List<BoltNode.Element> top = tx.spill(rootNode);
        while (top.size() > 1) {
            top = tx.spill(BoltNode.branch(new ArrayList<>(top)));
        }
        newRoot = top.get(0).child();
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(0, newRoot);
        header.putLong(8, sequence);
        return header.array();
    }

    /** The root page after {@link #commit()}. */
    long rootPage() {
        return newRoot;
    }

    /** bbolt inlines a bucket whose tree is one leaf without nested buckets, at most a quarter page. */
    private boolean inlineable() {
        if (!rootNode.leaf) {
            return false;
        }
        int size = PageStore.PAGE_HEADER;
        for (BoltNode.Element e : rootNode.elements) {
            size += e.size();
            if ((e.flags() & BoltNode.BUCKET_FLAG) != 0 || size > tx.pageSize() / 4) {
                return false;
            }
        }
        return true;
    }

    private BoltNode rootForRead() throws BoltFormatException {
        if (rootNode != null) {
            return rootNode;
        }
        return inlinePage != null ? readInline() : tx.readNode(root, 0);
    }

    private BoltNode childForRead(BoltNode branch, int index, int depth) throws BoltFormatException {
        checkDepth(depth);
        long child = branch.elements.get(index).child();
        BoltNode changed = changedNodes.get(child);
        return changed != null ? changed : tx.readNode(child, depth);
    }

    private BoltNode rootForChange() throws BoltFormatException {
        if (rootNode == null) {
            rootNode = inlinePage != null ? readInline() : tx.readNode(root, 0);
            if (rootNode.pageId != 0) {
                changedNodes.put(rootNode.pageId, rootNode);
            }
        }
        return rootNode;
    }

    private BoltNode childForChange(BoltNode branch, int index, int depth) throws BoltFormatException {
        checkDepth(depth);
        long child = branch.elements.get(index).child();
        BoltNode node = changedNodes.get(child);
        if (node == null) {
            node = tx.readNode(child, depth);
            changedNodes.put(child, node);
            branch.changedChildren.add(node);
        }
        return node;
    }

    /** Changed nodes are not read again, so a cycle through one of them is caught by depth. */
    private static void checkDepth(int depth) throws BoltFormatException {
        if (depth >= PageStore.MAX_DEPTH) {
            throw new BoltFormatException("bucket tree deeper than " + PageStore.MAX_DEPTH + " levels");
        }
    }

    private BoltNode readInline() throws BoltFormatException {
        ByteBuffer page = ByteBuffer.wrap(inlinePage).order(ByteOrder.LITTLE_ENDIAN);
        BoltNode node = BoltNode.read(page, 0, inlinePage.length, 0);
        if (!node.leaf) {
            throw new BoltFormatException("inline bucket is not a leaf page");
        }
        return node;
    }
}
