package dev.lifeboat.inspect.bolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * What a prepared {@link BoltTransaction} writes: new pages appended at the old end of the database,
 * then one meta page. {@link #write(FileChannel)} keeps bbolt's order — pages, fsync, meta, fsync — so
 * the new meta never points at pages that are not yet on disk.
 */
public final class BoltCommit {
    private final int pageSize;
    private final long firstPage;
    private final ByteBuffer pages;
    private final int metaPageId;
    private final ByteBuffer metaPage;
    private final long pgid;

    BoltCommit(int pageSize, long firstPage, ByteBuffer pages, int metaPageId, ByteBuffer metaPage, long pgid) {
        this.pageSize = pageSize;
        this.firstPage = firstPage;
        this.pages = pages;
        this.metaPageId = metaPageId;
        this.metaPage = metaPage;
        this.pgid = pgid;
    }

    /** Bytes of the database before the commit: where the new pages start. */
    public long previousDatabaseSize() {
        return firstPage * pageSize;
    }

    /** Bytes of the database after the commit ({@code pgid × pageSize}). */
    public long databaseSize() {
        return pgid * pageSize;
    }

    /** The pages appended at {@link #previousDatabaseSize()}, read-only. */
    public ByteBuffer appendedPages() {
        return pages.asReadOnlyBuffer().clear();
    }

    /** Which meta page (0 or 1) the commit overwrites. */
    public int metaPageId() {
        return metaPageId;
    }

    /** The new meta page, a whole page, read-only. */
    public ByteBuffer metaPage() {
        return metaPage.asReadOnlyBuffer().clear();
    }

    /** Writes the new pages, syncs, writes the meta page, syncs. */
    public void write(FileChannel channel) throws IOException {
        writeFully(channel, appendedPages(), previousDatabaseSize());
        channel.force(false);
        writeFully(channel, metaPage(), (long) metaPageId * pageSize);
        channel.force(false);
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }
}
