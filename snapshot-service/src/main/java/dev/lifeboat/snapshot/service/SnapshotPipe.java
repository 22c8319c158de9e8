package dev.lifeboat.snapshot.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded hand-over from etcd's snapshot stream to the upload. Memory is bounded by the queue,
 * so the stream waits for the upload (the gRPC flow-control window then slows etcd) instead of
 * buffering a whole snapshot. Unlike {@code PipedInputStream}, a failure on the writing side
 * reaches the reader as an exception, never as a clean end of stream (which would upload a
 * truncated snapshot).
 */
public final class SnapshotPipe {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks;
    private final AtomicLong written = new AtomicLong();
    private volatile Throwable writerError;
    private volatile boolean readerAborted;

    public SnapshotPipe(int bufferKib) {
        // chunks are the 32 KiB blocks etcd sends, so the queue holds bufferKib of data
        this.chunks = new LinkedBlockingQueue<>(Math.max(2, bufferKib / 32));
    }

    /** Bytes etcd has handed over so far. */
    public long bytesWritten() {
        return written.get();
    }

    /** Why the writing side failed, or null. */
    public Throwable writerError() {
        return writerError;
    }

    /** The writing side is done and complete. */
    public void finish() {
        offerEnd();
    }

    /** The writing side failed: the reader gets an IOException instead of the end of the stream. */
    public void fail(Throwable error) {
        if (writerError == null) {
            writerError = error;
        }
        chunks.clear();
        offerEnd();
    }

    /** The reading side gave up: further writes fail so the stream stops. */
    public void abort() {
        readerAborted = true;
        chunks.clear();
    }

    private void offerEnd() {
        try {
            while (!chunks.offer(END, 100, TimeUnit.MILLISECONDS)) {
                if (readerAborted) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return;
                }
                byte[] copy = Arrays.copyOfRange(b, off, off + len);
                try {
                    while (!chunks.offer(copy, 100, TimeUnit.MILLISECONDS)) {
                        checkWritable();
                    }
                    checkWritable();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                written.addAndGet(len);
            }

            private void checkWritable() throws IOException {
                if (readerAborted) {
                    throw new IOException("upload aborted");
                }
                if (writerError != null) {
                    throw new IOException("snapshot stream failed", writerError);
                }
            }
        };
    }

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
                        next = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    if (writerError != null) {
                        throw new IOException("snapshot stream failed: " + writerError.getMessage(), writerError);
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
}
