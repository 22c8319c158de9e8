package dev.lifeboat.replicator.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.lifeboat.store.SnapshotIds;

/**
 * How far a region trails the primary for one cluster, from snapshot ids alone (they carry the
 * time they were taken): newest verified in the primary minus newest complete in the region.
 */
public final class ReplicationLag {
    private ReplicationLag() {}

    /**
     * @param newestInSource newest verified complete snapshot in the primary, if any
     * @param newestInRegion newest complete snapshot in the region, if any
     * @param oldestInSource oldest verified complete snapshot in the primary, if any
     * @param now            the current time
     * @return zero when the region is current or there is nothing to copy; when the region holds
     *         nothing at all, how long the oldest snapshot it should hold has existed
     */
    public static Duration of(Optional<String> newestInSource, Optional<String> newestInRegion,
                              Optional<String> oldestInSource, Instant now) {
        if (newestInSource.isEmpty()) {
            return Duration.ZERO;
        }
        if (newestInRegion.isEmpty()) {
            Instant since = SnapshotIds.timeOf(oldestInSource.orElse(newestInSource.get()));
            return positive(Duration.between(since, now));
        }
        return positive(Duration.between(SnapshotIds.timeOf(newestInRegion.get()),
                SnapshotIds.timeOf(newestInSource.get())));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
