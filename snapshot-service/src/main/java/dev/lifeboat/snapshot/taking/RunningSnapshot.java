package dev.lifeboat.snapshot.taking;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import dev.lifeboat.common.io.BoundedPipe;

/** A snapshot accepted and not finished yet: queued for a worker, or streaming. */
public record RunningSnapshot(String snapshotId, Instant startedAt, AtomicReference<BoundedPipe> pipe) {
    public RunningSnapshot(String snapshotId, Instant startedAt) {
        this(snapshotId, startedAt, new AtomicReference<>());
    }

    public long bytesStreamed() {
        BoundedPipe p = pipe.get();
        return p == null ? 0 : p.bytesWritten();
    }
}
