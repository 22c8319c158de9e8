package dev.lifeboat.snapshot.taking;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.lifeboat.common.io.BoundedPipe;

/**
 * Fails a snapshot's pipe with {@link StreamStalledException} once etcd has handed over no byte
 * for the stall timeout. Time the pipe spends full does not count: then the upload is the slow
 * side, and the store's own deadlines judge it.
 */
final class StallWatch implements AutoCloseable {
    private final BoundedPipe pipe;
    private final long stallNanos;
    private volatile ScheduledFuture<?> check;
    private long lastBytes = -1;
    private long lastProgress = System.nanoTime();

    StallWatch(BoundedPipe pipe, Duration stallTimeout, ScheduledExecutorService timers) {
        this.pipe = pipe;
        this.stallNanos = stallTimeout.toNanos();
        long period = Math.max(50, stallTimeout.toMillis() / 10);
        this.check = timers.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
        long now = System.nanoTime();
        long bytes = pipe.bytesWritten();
        if (bytes != lastBytes || pipe.full()) {
            lastBytes = bytes;
            lastProgress = now;
        } else if (now - lastProgress >= stallNanos) {
            pipe.fail(new StreamStalledException(Duration.ofNanos(now - lastProgress), bytes));
            close();
        }
    }

    @Override
    public void close() {
        if (check != null) {
            check.cancel(false);
        }
    }
}
