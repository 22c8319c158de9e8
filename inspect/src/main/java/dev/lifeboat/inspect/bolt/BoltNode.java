package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One branch or leaf page of a bucket's tree, held in memory while a transaction changes it: the
 * elements decoded from the page, edited, then split and written back as new pages the way bbolt's
 * commit does (fill 50 %, at least two elements per page, a page spanning several pages only when one
 * element needs it).
 */
final class BoltNode {
    static final int ELEMENT = 16;
    static final int BUCKET_FLAG = 0x01;
    private static final int MIN_KEYS_PER_PAGE = 2;

    /** A leaf element (flags, key, value) or a branch element (key, child page). */
    record Element(int flags, byte[] key, byte[] value, long child) {
        int size() {
            return ELEMENT + key.length + value.length;
        }
    }

    final boolean leaf;
    /** The page this node was read from, 0 for an inline bucket or a node made by a split. */
    final long pageId;
    final List<Element> elements;
    /** Children read for a change, written before this node so it can point to their new pages. */
    final List<BoltNode> changedChildren = new ArrayList<>();

    private BoltNode(boolean leaf, long pageId, List<Element> elements) {
        this.leaf = leaf;
        this.pageId = pageId;
        this.elements = elements;
    }

    static BoltNode branch(List<Element> elements) {
        return new BoltNode(false, 0, elements);
    }

    /**
     * Decodes the page at {@code [base, limit)} of {@code buf} (a whole page, or an inline bucket's
     * page inside its parent's value), checking every element lies inside it.
     */
    static BoltNode read(ByteBuffer buf, int base, int limit, long pageId) throws BoltFormatException {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int flags = Short.toUnsignedInt(b.getShort(base + 8));
        int count = Short.toUnsignedInt(b.getShort(base + 10));
        boolean leaf = flags == PageStore.LEAF_FLAG;
        if (!leaf && flags != PageStore.BRANCH_FLAG) {
            throw new BoltFormatException("page " + pageId + " has flags 0x" + Integer.toHexString(flags)
                    + ", expected a branch or leaf");
        }
        int elementsEnd = base + PageStore.PAGE_HEADER + count * ELEMENT;
        if (elementsEnd > limit) {
            throw new BoltFormatException("page " + pageId + " holds more elements than fit");
        }
        List<Element> elements = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            int e = base + PageStore.PAGE_HEADER + i * ELEMENT;
            int elementFlags = leaf ? b.getInt(e) : 0;
            long keyStart = e + Integer.toUnsignedLong(b.getInt(leaf ? e + 4 : e));
            long keySize = Integer.toUnsignedLong(b.getInt(leaf ? e + 8 : e + 4));
            long valueSize = leaf ? Integer.toUnsignedLong(b.getInt(e + 12)) : 0;
            if (keyStart < elementsEnd || keyStart + keySize + valueSize > limit) {
                throw new BoltFormatException("element " + i + " of page " + pageId + " lies outside its page");
            }
            byte[] key = new byte[(int) keySize];
            b.get((int) keyStart, key);
            byte[] value = new byte[(int) valueSize];
            b.get((int) (keyStart + keySize), value);
            elements.add(new Element(elementFlags, key, value, leaf ? 0 : b.getLong(e + 8)));
        }
        return new BoltNode(leaf, pageId, elements);
    }

    /** Index of the first element whose key is not below {@code key}; {@code size()} when none. */
    int search(byte[] key) {
        int low = 0;
        int high = elements.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Arrays.compareUnsigned(elements.get(mid).key, key) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The child of a branch whose range holds {@code key}, as bbolt's cursor picks it. */
    int childFor(byte[] key) {
        int i = search(key);
        boolean exact = i < elements.size() && Arrays.equals(elements.get(i).key, key);
        return !exact && i > 0 ? i - 1 : Math.min(i, elements.size() - 1);
    }

    /** Inserts or replaces a leaf element. */
    void put(byte[] key, byte[] value, int flags) {
        int i = search(key);
        Element e = new Element(flags, key, value, 0);
        if (i < elements.size() && Arrays.equals(elements.get(i).key, key)) {
            elements.set(i, e);
        } else {
            elements.add(i, e);
        }
    }

    /** Replaces the element pointing to {@code oldChild} with elements for the pages that replace it. */
    void replaceChild(long oldChild, List<Element> replacements) throws BoltFormatException {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).child == oldChild) {
                elements.remove(i);
                elements.addAll(i, replacements);
                return;
            }
        }
        throw new BoltFormatException("branch page " + pageId + " lost its child " + oldChild);
    }

    static int size(List<Element> elements) {
        int size = PageStore.PAGE_HEADER;
        for (Element e : elements) {
            size += e.size();
        }
        return size;
    }

    /**
     * The elements cut into runs that each fill a page about half (bbolt's default fill percent),
     * keeping at least two elements per run; a node that fits one page stays whole.
     */
    static List<List<Element>> split(List<Element> elements, int pageSize) {
        List<List<Element>> runs = new ArrayList<>();
        List<Element> rest = elements;
        int threshold = pageSize / 2;
        while (rest.size() > 2 * MIN_KEYS_PER_PAGE && size(rest) >= pageSize) {
            int size = PageStore.PAGE_HEADER;
            int at = 0;
            for (int i = 0; i < rest.size() - MIN_KEYS_PER_PAGE; i++) {
                at = i;
                int next = rest.get(i).size();
                if (i >= MIN_KEYS_PER_PAGE && size + next > threshold) {
                    break;
                }
                size += next;
            }
            runs.add(rest.subList(0, at));
            rest = rest.subList(at, rest.size());
        }
        runs.add(rest);
        return runs;
    }

    /** How many pages a run of elements needs. */
    static int pagesFor(List<Element> elements, int pageSize) {
        return (size(elements) + pageSize - 1) / pageSize;
    }

    /**
     * Lays a run of elements out as bbolt does: header, element table, then keys and values in order,
     * each element's position relative to itself. {@code into} is little-endian and starts at the page
     * header; {@code overflow} is the number of pages past the first.
     */
    static void write(List<Element> elements, boolean leaf, long id, int overflow, ByteBuffer into, int base) {
        into.putLong(base, id);
        into.putShort(base + 8, (short) (leaf ? PageStore.LEAF_FLAG : PageStore.BRANCH_FLAG));
        into.putShort(base + 10, (short) elements.size());
        into.putInt(base + 12, overflow);
        int data = base + PageStore.PAGE_HEADER + elements.size() * ELEMENT;
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            int at = base + PageStore.PAGE_HEADER + i * ELEMENT;
            if (leaf) {
                into.putInt(at, e.flags);
                into.putInt(at + 4, data - at);
                into.putInt(at + 8, e.key.length);
                into.putInt(at + 12, e.value.length);
            } else {
                into.putInt(at, data - at);
                into.putInt(at + 4, e.key.length);
                into.putLong(at + 8, e.child);
            }
            into.put(data, e.key);
            into.put(data + e.key.length, e.value);
            data += e.key.length + e.value.length;
        }
    }
}
