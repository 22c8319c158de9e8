package dev.lifeboat.snapshot.taking;

import java.time.Duration;

import dev.lifeboat.snapshot.config.SnapshotConfig;

/**
 * The time limits of one snapshot: none of its waits is unbounded.
 *
 * @param memberTimeout     connect and status call, per member
 * @param leaderWait        the wait for a leader to be elected when no member that answers leads
 * @param stallTimeout      the longest etcd may keep the stream open without sending a byte (while the upload keeps up)
 * @param baseTimeout       the whole stream's limit for an empty database ...
 * @param minBytesPerSecond ... plus the member's database size at this rate
 * @param hashKvTimeout     etcd's HashKV at the snapshot's revision
 */
public record SnapshotLimits(Duration memberTimeout, Duration leaderWait, Duration stallTimeout, Duration baseTimeout,
                             long minBytesPerSecond, Duration hashKvTimeout) {

    public static SnapshotLimits of(SnapshotConfig config) {
        return new SnapshotLimits(config.memberTimeout(), config.leaderWait(), config.stallTimeout(), config.timeout(),
                config.minThroughputKibPerSecond() * 1024L, config.hashKvTimeout());
    }

    /** The whole stream's limit for a database of {@code dbSize} bytes. */
    public Duration streamTimeout(long dbSize) {
        return baseTimeout.plusSeconds(Math.max(0, dbSize) / Math.max(1, minBytesPerSecond));
    }
}
