package dev.lifeboat.replicator.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the source stream on its own thread into a bounded queue of chunks, so downloading the
 * next part overlaps with uploading the current one. Memory is bounded by
 * {@code chunks × chunkSize}, whatever the size of the stream.
 */
public final class ReadAheadInputStream extends InputStream {
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<byte[]> queue;
    private final int chunkSize;
    private final Thread reader;
    private volatile IOException failure;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private long bytesRead;

    public ReadAheadInputStream(InputStream source, int chunks, int chunkSize) {
        this.source = source;
        this.queue = new ArrayBlockingQueue<>(chunks);
        this.chunkSize = chunkSize;
        this.reader = new Thread(this::pump, "read-ahead");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void pump() {
        try {
            while (!closed) {
                byte[] chunk = new byte[chunkSize];
                int filled = 0;
                while (filled < chunkSize) {
                    int n = source.read(chunk, filled, chunkSize - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                if (filled > 0) {
                    offer(filled == chunkSize ? chunk : Arrays.copyOf(chunk, filled));
                }
                if (filled < chunkSize) {
                    break;
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            return; // closed by the consumer
        } catch (RuntimeException e) {
            failure = new IOException(e);
        }
        try {
            offer(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(byte[] chunk) throws InterruptedException {
        while (!closed && !queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
            // wait for the consumer; give up once it closed the stream
        }
    }

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
        while (position == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            position = 0;
            if (current == END) {
                ended = true;
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        bytesRead += n;
        return n;
    }

    /** Bytes handed to the consumer so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The error reading the source, if reading it failed: tells a source outage from a target one. */
    public IOException sourceFailure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        queue.clear();
        source.close();
    }
}
