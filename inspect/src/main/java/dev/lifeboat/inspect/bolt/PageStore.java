package dev.lifeboat.inspect.bolt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.BitSet;

/**
 * Reads pages on demand with positional reads into one read-ahead window per tree level, so memory
 * stays bounded by the tree depth and the largest page, never by the file size. A page handed out
 * for level {@code d} stays valid until the next page of level {@code d} is read, which is exactly
 * how long a depth-first walk needs it. Refuses a page outside the database or one already reached
 * in the current walk (a cycle or a shared subtree).
 */
final class PageStore {
    static final int PAGE_HEADER = 16;
    static final int BRANCH_FLAG = 0x01;
    static final int LEAF_FLAG = 0x02;
    static final int FREELIST_FLAG = 0x10;
    /** A single page span above this is treated as damage: etcd values are limited to a few MiB. */
    static final int MAX_SPAN = 128 << 20;
    static final int MAX_DEPTH = 64;
    /** bbolt writes a transaction's pages mostly side by side: one larger read serves many pages. */
    private static final int WINDOW = 256 << 10;

    private final FileChannel channel;
    private final int pageSize;
    private final long pgid;
    private final long databaseEnd;
    private final ByteBuffer[] windows = new ByteBuffer[MAX_DEPTH];
    private final long[] windowStart = new long[MAX_DEPTH];
    private final int[] windowLength = new int[MAX_DEPTH];
    private final ByteBuffer[] largePages = new ByteBuffer[MAX_DEPTH];
    private BitSet visited;

    PageStore(FileChannel channel, int pageSize, long pgid) {
        this.channel = channel;
        this.pageSize = pageSize;
        this.pgid = pgid;
        this.databaseEnd = pgid * pageSize;
    }

    /** Starts a new walk: every page may be reached once again. */
    void resetVisits() {
        visited = new BitSet((int) Math.min(pgid, Integer.MAX_VALUE));
    }

    /** The pages reached since the last {@link #resetVisits()}, a copy. */
    BitSet visited() {
        return (BitSet) visited.clone();
    }

    /** Marks pages reached outside the tree (meta, freelist) so the tree cannot claim them. */
    void claim(long id, long overflow, String what) throws BoltFormatException {
        for (long p = id; p <= id + overflow; p++) {
            if (visited.get((int) p)) {
                throw new BoltFormatException(what + " page " + p + " is reached twice");
            }
            visited.set((int) p);
        }
    }

    /**
     * Reads page {@code id} (with its overflow pages) for tree level {@code depth}. The returned
     * buffer is little-endian, position 0, limit the page span.
     */
    ByteBuffer read(long id, int depth, String referrer) throws BoltFormatException {
        if (depth >= MAX_DEPTH) {
            throw new BoltFormatException("tree deeper than " + MAX_DEPTH + " levels below " + referrer);
        }
        if (id < 2 || id >= pgid) {
            throw new BoltFormatException(referrer + " points to page " + id + " outside the database (pgid " + pgid + ")");
        }
        long start = id * pageSize;
        ByteBuffer window = window(depth, start, pageSize);
        int from = (int) (start - windowStart[depth]);
        long headerId = window.getLong(from);
        if (headerId != id) {
            throw new BoltFormatException("page " + id + " carries id " + headerId);
        }
        long overflow = Integer.toUnsignedLong(window.getInt(from + 12));
        if (id + overflow >= pgid) {
            throw new BoltFormatException("page " + id + " overflows past the end of the database");
        }
        claim(id, overflow, "tree");
        long span = (overflow + 1) * pageSize;
        if (span > MAX_SPAN) {
            throw new BoltFormatException("page " + id + " spans " + span + " bytes, more than a value can need");
        }
        if (span <= WINDOW) {
            window = window(depth, start, (int) span);
            from = (int) (start - windowStart[depth]);
            return window.slice(from, (int) span).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer large = largePages[depth];
        if (large == null || large.capacity() < span) {
            large = ByteBuffer.allocateDirect((int) span).order(ByteOrder.LITTLE_ENDIAN);
            largePages[depth] = large;
        }
        large.clear().limit((int) span);
        readFully(large, start);
        return large.flip();
    }

    /** The window of {@code depth}, refilled from {@code start} unless it already holds the range. */
    private ByteBuffer window(int depth, long start, int length) throws BoltFormatException {
        ByteBuffer window = windows[depth];
        if (window == null) {
            window = ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
            windows[depth] = window;
            windowLength[depth] = 0;
        }
        long held = windowStart[depth];
        if (start < held || start + length > held + windowLength[depth]) {
            window.clear().limit((int) Math.min(WINDOW, databaseEnd - start));
            windowLength[depth] = 0;
            readFully(window, start);
            windowStart[depth] = start;
            windowLength[depth] = window.position();
        }
        return window;
    }

    private void readFully(ByteBuffer buf, long position) throws BoltFormatException {
        try {
            long pos = position;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new BoltFormatException("file ends inside page at offset " + position, true);
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
