package dev.lifeboat.inspect.bolt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Validates and walks a bbolt database in pure Java, reading pages on demand.
 *
 * <p>Only pages reachable from the root are read: etcd writes no freelist, so free pages hold stale
 * bytes that must not be mistaken for data. Every walk checks page bounds, page kinds, element bounds,
 * inline buckets, strict key order, and that no page is reached twice.
 */
public final class BoltReader {
    private static final int ELEMENT = 16;
    private static final int BUCKET_HEADER = 16;
    private static final int BUCKET_ENTRY_FLAG = 0x01;

    private final BoltMeta meta;
    private final PageStore pages;
    private final List<String> notes;
    private long inlineBuckets;

    private BoltReader(BoltMeta meta, PageStore pages, List<String> notes) {
        this.meta = meta;
        this.pages = pages;
        this.notes = notes;
    }

    /**
     * Reads both meta pages and picks the valid one with the higher transaction id.
     *
     * @param channel      the file, read with positional reads only
     * @param databaseSize bytes of the file that belong to the database (an etcd snapshot adds a trailer)
     * @throws BoltFormatException no valid meta page, or the database is longer than {@code databaseSize}
     */
    public static BoltReader open(FileChannel channel, long databaseSize) throws BoltFormatException {
        List<String> notes = new ArrayList<>();
        BoltMeta meta0 = null;
        BoltMeta meta1 = null;
        String problem0;
        String problem1 = "meta page 1 not found";
        boolean shortFile = false;
        try {
            meta0 = BoltMeta.parse(readAt(channel, 0, databaseSize), 0);
            problem0 = null;
        } catch (BoltFormatException e) {
            problem0 = e.getMessage();
            shortFile = e.truncated();
        }
        // Without a valid first meta the page size is unknown: try every size bbolt can write.
        int[] sizes = meta0 != null ? new int[] {meta0.pageSize()} : candidatePageSizes();
        for (int size : sizes) {
            try {
                BoltMeta m = BoltMeta.parse(readAt(channel, size, databaseSize), 1);
                if (m.pageSize() == size) {
                    meta1 = m;
                    problem1 = null;
                    break;
                }
                problem1 = "meta page 1 disagrees on the page size";
            } catch (BoltFormatException e) {
                problem1 = e.getMessage();
            }
        }
        BoltMeta chosen;
        if (meta0 == null && meta1 == null) {
            throw new BoltFormatException("no valid meta page: " + problem0 + "; " + problem1, shortFile);
        } else if (meta0 == null) {
            notes.add("meta page 0 is invalid (" + problem0 + "); using meta page 1");
            chosen = meta1;
        } else if (meta1 == null) {
            notes.add("meta page 1 is invalid (" + problem1 + "); using meta page 0");
            chosen = meta0;
        } else {
            chosen = Long.compareUnsigned(meta1.txid(), meta0.txid()) > 0 ? meta1 : meta0;
        }
        if (chosen.databaseSize() > databaseSize) {
            throw new BoltFormatException("database needs " + chosen.databaseSize() + " bytes but only "
                    + databaseSize + " are present", true);
        }
        return new BoltReader(chosen, new PageStore(channel, chosen.pageSize(), chosen.pgid()), notes);
    }

    private static int[] candidatePageSizes() {
        int[] sizes = new int[12];
        sizes[0] = 4096;
        int i = 1;
        for (int s = 512; s <= (1 << 20); s <<= 1) {
            if (s != 4096) {
                sizes[i++] = s;
            }
        }
        return Arrays.copyOf(sizes, i);
    }

    private static ByteBuffer readAt(FileChannel channel, long offset, long limit) throws BoltFormatException {
        int want = 96;
        if (offset + want > limit) {
            throw new BoltFormatException("file too short for a meta page at offset " + offset, true);
        }
        ByteBuffer b = ByteBuffer.allocate(want).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offset + b.position()) < 0) {
                    throw new BoltFormatException("file ends inside the meta page at offset " + offset, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.flip();
    }

    /** The meta page in use. */
    public BoltMeta meta() {
        return meta;
    }

    /** Findings that did not make the database unusable, such as one damaged meta page. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * The pages the last {@link #walk} reached: the two meta pages, a freelist page if the meta
     * names one, and every tree page with its overflow. The others below {@code pgid} are free.
     */
    public BitSet reachedPages() {
        return pages.visited();
    }

    /** Buckets stored inside their parent's page, counted by the last walk. */
    public long inlineBuckets() {
        return inlineBuckets;
    }

    /**
     * Walks every top-level bucket in name order; each bucket the visitor accepts is walked with its
     * entry visitor, forward or in reverse key order. Nested buckets are validated and reported to the
     * entry visitor with a {@code null} value.
     */
    public void walk(BucketVisitor visitor, boolean reverse) throws BoltFormatException {
        inlineBuckets = 0;
        pages.resetVisits();
        pages.claim(0, 1, "meta");
        if (meta.freelist() != BoltMeta.NO_FREELIST) {
            claimFreelist();
        }
        Walk rootWalk = new Walk(false, "root bucket", reverse);
        ByteBuffer rootPage = pages.read(meta.root(), 0, "meta");
        rootWalk.tree(rootPage, 0, rootPage.limit(), 0, (key, value) -> {
            throw new BoltFormatException("top-level key is not a bucket");
        }, visitor);
    }

    private void claimFreelist() throws BoltFormatException {
        if (meta.freelist() < 2 || meta.freelist() >= meta.pgid()) {
            throw new BoltFormatException("freelist page " + meta.freelist() + " is outside the database");
        }
        ByteBuffer page = pages.read(meta.freelist(), 0, "meta");
        int flags = Short.toUnsignedInt(page.getShort(8));
        if ((flags & PageStore.FREELIST_FLAG) == 0) {
            throw new BoltFormatException("page " + meta.freelist() + " named as freelist is not one");
        }
    }

    /** One walk of one bucket's tree: remembers the previous key to check strict order. */
    private final class Walk {
        private final boolean reverse;
        private final String bucket;
        /** Order of the buckets below the root; the root itself is always walked forward. */
        private final boolean bucketsReverse;
        private byte[] previous = new byte[64];
        private int previousLength = -1;

        Walk(boolean reverse, String bucket) {
            this(reverse, bucket, reverse);
        }

        Walk(boolean reverse, String bucket, boolean bucketsReverse) {
            this.reverse = reverse;
            this.bucket = bucket;
            this.bucketsReverse = bucketsReverse;
        }

        /**
         * Walks the page at {@code [base, limit)} of {@code buf}. For the root bucket {@code buckets}
         * receives every entry (all must be buckets); otherwise {@code entries} does.
         */
        void tree(ByteBuffer buf, int base, int limit, int depth, EntryVisitor entries, BucketVisitor buckets)
                throws BoltFormatException {
            long id = buf.getLong(base);
            int flags = Short.toUnsignedInt(buf.getShort(base + 8));
            int count = Short.toUnsignedInt(buf.getShort(base + 10));
            int elementsEnd = base + PageStore.PAGE_HEADER + count * ELEMENT;
            if (elementsEnd > limit) {
                throw new BoltFormatException("page " + id + " in " + bucket + " holds more elements than fit");
            }
            if (flags == PageStore.BRANCH_FLAG) {
                branch(buf, base, limit, depth, count, elementsEnd, entries, buckets);
            } else if (flags == PageStore.LEAF_FLAG) {
                leaf(buf, base, limit, depth, count, elementsEnd, entries, buckets);
            } else {
                throw new BoltFormatException("page " + id + " in " + bucket + " has flags 0x"
                        + Integer.toHexString(flags) + ", expected a branch or leaf");
            }
        }

        private void branch(ByteBuffer buf, int base, int limit, int depth, int count, int elementsEnd,
                            EntryVisitor entries, BucketVisitor buckets) throws BoltFormatException {
            long id = buf.getLong(base);
            if (count == 0) {
                throw new BoltFormatException("branch page " + id + " in " + bucket + " is empty");
            }
            long[] children = new long[count];
            byte[] last = null;
            for (int i = 0; i < count; i++) {
                int e = base + PageStore.PAGE_HEADER + i * ELEMENT;
                long keyStart = e + Integer.toUnsignedLong(buf.getInt(e));
                long keySize = Integer.toUnsignedLong(buf.getInt(e + 4));
                if (keyStart < elementsEnd || keyStart + keySize > limit) {
                    throw new BoltFormatException("branch element " + i + " of page " + id + " lies outside its page");
                }
                byte[] key = new byte[(int) keySize];
                buf.get((int) keyStart, key);
                if (last != null && Arrays.compareUnsigned(last, key) >= 0) {
                    throw new BoltFormatException("branch page " + id + " in " + bucket + " has keys out of order");
                }
                last = key;
                children[i] = buf.getLong(e + 8);
            }
            // The children are read after the element scan because reading reuses deeper buffers only.
            for (int n = 0; n < count; n++) {
                int i = reverse ? count - 1 - n : n;
                ByteBuffer child = pages.read(children[i], depth + 1, "branch page " + id);
                tree(child, 0, child.limit(), depth + 1, entries, buckets);
            }
        }

        private void leaf(ByteBuffer buf, int base, int limit, int depth, int count, int elementsEnd,
                          EntryVisitor entries, BucketVisitor buckets) throws BoltFormatException {
            long id = buf.getLong(base);
            for (int n = 0; n < count; n++) {
                int i = reverse ? count - 1 - n : n;
                int e = base + PageStore.PAGE_HEADER + i * ELEMENT;
                int flags = buf.getInt(e);
                long keyStart = e + Integer.toUnsignedLong(buf.getInt(e + 4));
                long keySize = Integer.toUnsignedLong(buf.getInt(e + 8));
                long valueSize = Integer.toUnsignedLong(buf.getInt(e + 12));
                if (keyStart < elementsEnd || keyStart + keySize + valueSize > limit) {
                    throw new BoltFormatException("leaf element " + i + " of page " + id + " in " + bucket
                            + " lies outside its page");
                }
                if ((flags & ~BUCKET_ENTRY_FLAG) != 0) {
                    throw new BoltFormatException("leaf element " + i + " of page " + id + " has unknown flags " + flags);
                }
                ByteBuffer key = buf.slice((int) keyStart, (int) keySize);
                checkOrder(key, id);
                ByteBuffer value = buf.slice((int) (keyStart + keySize), (int) valueSize);
                boolean isBucket = flags == BUCKET_ENTRY_FLAG;
                if (buckets != null) {
                    if (!isBucket) {
                        throw new BoltFormatException("top-level key in page " + id + " is not a bucket");
                    }
                    EntryVisitor visitor = buckets.bucket(key.duplicate());
                    if (visitor != null) {
                        new Walk(bucketsReverse, printable(key)).bucket(value.order(ByteOrder.LITTLE_ENDIAN), depth, visitor);
                    }
                } else if (isBucket) {
                    entries.entry(key, null);
                    // Nested buckets are validated but their entries are not reported.
                    new Walk(false, bucket + "/" + printable(key)).bucket(value.order(ByteOrder.LITTLE_ENDIAN), depth,
                            (k, v) -> { });
                } else {
                    entries.entry(key, value);
                }
            }
        }

        /** Walks a bucket given its header value: a root page id, or 0 and an inline page. */
        void bucket(ByteBuffer header, int depth, EntryVisitor entries) throws BoltFormatException {
            if (header.remaining() < BUCKET_HEADER) {
                throw new BoltFormatException("bucket " + bucket + " has a header of " + header.remaining() + " bytes");
            }
            long root = header.getLong(0);
            if (root == 0) {
                if (header.remaining() < BUCKET_HEADER + PageStore.PAGE_HEADER) {
                    throw new BoltFormatException("inline bucket " + bucket + " is shorter than its page header");
                }
                int flags = Short.toUnsignedInt(header.getShort(BUCKET_HEADER + 8));
                if (flags != PageStore.LEAF_FLAG) {
                    throw new BoltFormatException("inline bucket " + bucket + " is not a leaf page");
                }
                inlineBuckets++;
                tree(header, BUCKET_HEADER, header.limit(), depth, entries, null);
            } else {
                ByteBuffer page = pages.read(root, depth + 1, "bucket " + bucket);
                tree(page, 0, page.limit(), depth + 1, entries, null);
            }
        }

        private void checkOrder(ByteBuffer key, long pageId) throws BoltFormatException {
            int length = key.remaining();
            if (previousLength >= 0) {
                int cmp = compareUnsigned(previous, previousLength, key);
                if (reverse ? cmp <= 0 : cmp >= 0) {
                    throw new BoltFormatException("keys out of order in page " + pageId + " of " + bucket);
                }
            }
            if (previous.length < length) {
                previous = new byte[Math.max(length, previous.length * 2)];
            }
            key.get(key.position(), previous, 0, length);
            previousLength = length;
        }
    }

    private static int compareUnsigned(byte[] a, int aLength, ByteBuffer b) {
        int bLength = b.remaining();
        int n = Math.min(aLength, bLength);
        int bBase = b.position();
        for (int i = 0; i < n; i++) {
            int d = (a[i] & 0xff) - (b.get(bBase + i) & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return aLength - bLength;
    }

    private static String printable(ByteBuffer name) {
        StringBuilder s = new StringBuilder();
        for (int i = name.position(); i < name.limit() && s.length() < 64; i++) {
            int c = name.get(i) & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return s.toString();
    }
}
