package dev.lifeboat.replicator.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The newest snapshot id known per cluster in the primary and per (cluster, region) in each
 * copy, kept current by events between reconciliation runs (which set it from the stores).
 */
@ApplicationScoped
public class LagBook {
    private final Map<String, String> newestInSource = new ConcurrentHashMap<>();
    private final Map<String, String> oldestInSource = new ConcurrentHashMap<>();
    private final Map<String, String> newestInRegion = new ConcurrentHashMap<>();

    /** A verified snapshot is in the primary. */
    public void seenInSource(String clusterId, String snapshotId) {
        newestInSource.merge(clusterId, snapshotId, LagBook::newer);
        oldestInSource.merge(clusterId, snapshotId, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /** A snapshot is complete in {@code region}. */
    public void seenInRegion(String clusterId, String region, String snapshotId) {
        newestInRegion.merge(clusterId + "/" + region, snapshotId, LagBook::newer);
    }

    /** What the stores hold, as a reconciliation run read them; replaces what events taught. */
    public void reset(String clusterId, String region, Optional<String> newestSource, Optional<String> oldestSource,
                      Optional<String> newestRegion) {
        resetSource(clusterId, newestSource, oldestSource);
        newestRegion.ifPresentOrElse(id -> newestInRegion.put(clusterId + "/" + region, id),
                () -> newestInRegion.remove(clusterId + "/" + region));
    }

    /** What the primary holds, as a reconciliation run read it (the region could not be read). */
    public void resetSource(String clusterId, Optional<String> newestSource, Optional<String> oldestSource) {
        newestSource.ifPresentOrElse(id -> newestInSource.put(clusterId, id), () -> newestInSource.remove(clusterId));
        oldestSource.ifPresentOrElse(id -> oldestInSource.put(clusterId, id), () -> oldestInSource.remove(clusterId));
    }

    public Duration lag(String clusterId, String region, Instant now) {
        return ReplicationLag.of(Optional.ofNullable(newestInSource.get(clusterId)),
                Optional.ofNullable(newestInRegion.get(clusterId + "/" + region)),
                Optional.ofNullable(oldestInSource.get(clusterId)), now);
    }

    private static String newer(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
