package dev.lifeboat.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded hand-over of bytes from one thread to another: a queue of at most {@code chunks}
 * chunks, so the writer waits for the reader instead of buffering a whole snapshot (for etcd's
 * stream, gRPC flow control then slows etcd). Unlike {@code PipedInputStream}, a failure on the
 * writing side reaches the reader as an {@link IOException}, never as a clean end of stream (which
 * would store a truncated snapshot), and a reader that gives up makes further writes fail.
 *
 * <p>{@link #readAhead} runs the writing side on its own thread, reading a source stream ahead of
 * its consumer, so downloading the next part overlaps with uploading the current one.
 */
public final class BoundedPipe {
    private static final byte[] END = new byte[0];
    private static final long WAIT_MILLIS = 100;

    private final LinkedBlockingQueue<byte[]> queue;
    private final AtomicLong written = new AtomicLong();
    private volatile Throwable writerError;
    private volatile boolean readerAborted;

    /** @param chunks how many written chunks may wait for the reader (at least 1) */
    public BoundedPipe(int chunks) {
        this.queue = new LinkedBlockingQueue<>(Math.max(1, chunks));
    }

    /** Bytes the writing side has handed over so far. */
    public long bytesWritten() {
        return written.get();
    }

    /**
     * Every chunk slot is taken: the reader is behind, so a writer that hands nothing over now is
     * waiting for the reader, not stalled at its source.
     */
    public boolean full() {
        return queue.remainingCapacity() == 0;
    }

    /** Why the writing side failed, or null. */
    public Throwable writerError() {
        return writerError;
    }

    /** The writing side is done and complete: the reader gets the end of the stream after the last chunk. */
    public void finish() {
        offerEnd();
    }

    /** The writing side failed: the reader gets an IOException instead of the end of the stream. */
    public void fail(Throwable error) {
        if (writerError == null) {
            writerError = error;
        }
        queue.clear();
        offerEnd();
    }

    /** The reading side gave up: queued chunks are dropped and further writes fail, so the writer stops. */
    public void abort() {
        readerAborted = true;
        queue.clear();
    }

    /** The writing side. Each write hands over a copy of its bytes as one chunk. */
    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    hand(Arrays.copyOfRange(b, off, off + len));
                }
            }
        };
    }

    /** The reading side; reading blocks until a chunk, the end, or the writer's failure arrives. */
    public InputStream input() {
        return new InputStream() {
            private byte[] current = END;
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos >= current.length) {
                    if (ended) {
                        return -1;
                    }
                    byte[] next;
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the writer");
                    }
                    Throwable error = writerError;
                    if (error != null) {
                        throw error instanceof IOException io ? io
                                : new IOException("the writing side failed: " + error.getMessage(), error);
                    }
                    if (next == END) {
                        ended = true;
                        return -1;
                    }
                    current = next;
                    pos = 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Hands {@code chunk} (now owned by the pipe) to the reader, waiting for room. */
    private void hand(byte[] chunk) throws IOException {
        try {
            while (!queue.offer(chunk, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                checkWritable();
            }
            checkWritable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the reader");
        }
        written.addAndGet(chunk.length);
    }

    private void checkWritable() throws IOException {
        if (readerAborted) {
            throw new IOException("the reading side aborted");
        }
        if (writerError != null) {
            throw new IOException("the writing side failed", writerError);
        }
    }

    private void offerEnd() {
        try {
            while (!queue.offer(END, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (readerAborted) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads {@code source} on its own thread, {@code chunkSize} bytes at a time, at most
     * {@code chunks} chunks ahead of the consumer: memory is bounded by {@code chunks × chunkSize}
     * whatever the size of the stream.
     */
    public static ReadAhead readAhead(InputStream source, int chunks, int chunkSize) {
        return new ReadAhead(source, chunks, chunkSize);
    }

    /** The consumer's side of {@link #readAhead}. Closing it stops the reading thread and closes the source. */
    public static final class ReadAhead extends InputStream {
        private final InputStream source;
        private final BoundedPipe pipe;
        private final InputStream in;
        private final int chunkSize;
        private final Thread reader;
        private volatile IOException sourceFailure;
        private long bytesRead;

        private ReadAhead(InputStream source, int chunks, int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            this.source = source;
            this.pipe = new BoundedPipe(chunks);
            this.in = pipe.input();
            this.chunkSize = chunkSize;
            this.reader = new Thread(this::pump, "read-ahead");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        private void pump() {
            try {
                while (true) {
                    byte[] chunk = new byte[chunkSize];
                    int filled = source.readNBytes(chunk, 0, chunkSize);
                    if (filled > 0) {
                        pipe.hand(filled == chunkSize ? chunk : Arrays.copyOf(chunk, filled));
                    }
                    if (filled < chunkSize) {
                        pipe.finish();
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!pipe.readerAborted) { // after close, a failing source is the consumer's doing
                    IOException failure = e instanceof IOException io ? io : new IOException(e);
                    sourceFailure = failure;
                    pipe.fail(failure);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bytesRead++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        }

        /** Bytes handed to the consumer so far. */
        public long bytesRead() {
            return bytesRead;
        }

        /** The error reading the source, if reading it failed: tells a source outage from a target one. */
        public IOException sourceFailure() {
            return sourceFailure;
        }

        @Override
        public void close() throws IOException {
            pipe.abort();
            reader.interrupt();
            source.close();
        }
    }
}
