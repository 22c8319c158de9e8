package dev.lifeboat.verifier.bolt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.BitSet;

/**
 * Reads pages on demand with positional reads, one reusable buffer per tree level, so memory stays
 * bounded by the tree depth and the largest page, never by the file size. Refuses a page outside the
 * database or one already reached in the current walk (a cycle or a shared subtree).
 */
final class PageStore {
    static final int PAGE_HEADER = 16;
    static final int BRANCH_FLAG = 0x01;
    static final int LEAF_FLAG = 0x02;
    static final int FREELIST_FLAG = 0x10;
    /** A single page span above this is treated as damage: etcd values are limited to a few MiB. */
    static final int MAX_SPAN = 128 << 20;
    static final int MAX_DEPTH = 64;
    private static final int READ_AHEAD = 256 << 10;

    private final FileChannel channel;
    private final int pageSize;
    private final long pgid;
    private final ByteBuffer[] buffers = new ByteBuffer[MAX_DEPTH];
    /** bbolt writes a transaction's pages mostly side by side: one larger read serves many pages. */
    private final ByteBuffer readAhead = ByteBuffer.allocateDirect(READ_AHEAD).order(ByteOrder.LITTLE_ENDIAN);
    private long readAheadStart = -1;
    private int readAheadLength;
    private BitSet visited;

    PageStore(FileChannel channel, int pageSize, long pgid) {
        this.channel = channel;
        this.pageSize = pageSize;
        this.pgid = pgid;
    }

    /** Starts a new walk: every page may be reached once again. */
    void resetVisits() {
        visited = new BitSet((int) Math.min(pgid, Integer.MAX_VALUE));
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
     * Reads page {@code id} (with its overflow pages) into the buffer of tree level {@code depth}.
     * The returned buffer is little-endian, position 0, limit the page span.
     */
    ByteBuffer read(long id, int depth, String referrer) throws BoltFormatException {
        if (depth >= MAX_DEPTH) {
            throw new BoltFormatException("tree deeper than " + MAX_DEPTH + " levels below " + referrer);
        }
        if (id < 2 || id >= pgid) {
            throw new BoltFormatException(referrer + " points to page " + id + " outside the database (pgid " + pgid + ")");
        }
        ByteBuffer buf = buffer(depth, pageSize);
        buf.clear().limit(pageSize);
        readFully(buf, id * pageSize);
        long headerId = buf.getLong(0);
        if (headerId != id) {
            throw new BoltFormatException("page " + id + " carries id " + headerId);
        }
        long overflow = Integer.toUnsignedLong(buf.getInt(12));
        if (id + overflow >= pgid) {
            throw new BoltFormatException("page " + id + " overflows past the end of the database");
        }
        claim(id, overflow, "tree");
        if (overflow > 0) {
            long span = (overflow + 1) * pageSize;
            if (span > MAX_SPAN) {
                throw new BoltFormatException("page " + id + " spans " + span + " bytes, more than a value can need");
            }
            ByteBuffer big = buffer(depth, (int) span);
            if (big != buf) {
                big.clear();
                buf.flip();
                big.put(buf);
                buf = big;
            }
            buf.limit((int) span).position(pageSize);
            readFully(buf, id * pageSize + pageSize);
        }
        buf.position(0);
        return buf;
    }

    private ByteBuffer buffer(int depth, int capacity) {
        ByteBuffer b = buffers[depth];
        if (b == null || b.capacity() < capacity) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(capacity, pageSize)).order(ByteOrder.LITTLE_ENDIAN);
            buffers[depth] = bigger;
            return bigger;
        }
        return b;
    }

    private void readFully(ByteBuffer buf, long position) throws BoltFormatException {
        int wanted = buf.remaining();
        if (wanted <= READ_AHEAD / 4) {
            if (position < readAheadStart || position + wanted > readAheadStart + readAheadLength) {
                fillReadAhead(position);
            }
            if (position + wanted <= readAheadStart + readAheadLength) {
                int from = (int) (position - readAheadStart);
                buf.put(readAhead.slice(from, wanted));
                return;
            }
        }
        readDirect(buf, position);
    }

    private void fillReadAhead(long position) throws BoltFormatException {
        long end = Math.min(pgid * pageSize, position + READ_AHEAD);
        readAhead.clear().limit((int) Math.max(0, end - position));
        readAheadStart = position;
        readAheadLength = 0;
        readDirect(readAhead, position);
        readAheadLength = readAhead.position();
    }

    private void readDirect(ByteBuffer buf, long position) throws BoltFormatException {
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
