package dev.lifeboat.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Value of the compacted {@link Topics#CLUSTERS} topic; a tombstone (null value) removes the cluster.
 *
 * @param retired set when the cluster was deregistered while its backups were still expected: it
 *                is no longer backed up, but the freshness watchdog keeps watching its snapshots
 *                (with {@code spec}, its last registration) until they are gone or an admin
 *                confirms the deregistration, which writes the tombstone
 * @param scheduleSince when the schedule took its current value: the first registration, or the
 *                last PUT that changed the schedule (a re-PUT of the same schedule keeps it); the
 *                first backup is due from then. Null in records written before it existed, read
 *                as {@code updatedAt}
 */
public record ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt, Retirement retired,
                                Instant scheduleSince) implements LifeboatEvent {

    public ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt) {
        this(clusterId, spec, updatedAt, null, null);
    }

    public ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt, Retirement retired) {
        this(clusterId, spec, updatedAt, retired, null);
    }

    /**
     * A registration of {@code spec} at {@code now}, after {@code previous} (if any): it keeps the
     * previous {@link #scheduleSince} when the schedule is unchanged, so that re-applying the same
     * spec never postpones the first-backup deadline.
     */
    public static ClusterRegistered registered(String clusterId, ClusterSpec spec, Instant now,
                                               Optional<ClusterRegistered> previous) {
        Instant since = previous.filter(p -> p.spec() != null
                        && Objects.equals(p.spec().schedule(), spec.schedule()))
                .map(ClusterRegistered::firstBackupFrom).orElse(now);
        return new ClusterRegistered(clusterId, spec, now, null, since);
    }

    /** Since when the current schedule applies: where the first-backup deadline counts from. */
    public Instant firstBackupFrom() {
        return scheduleSince != null ? scheduleSince : updatedAt;
    }

    /** When and by whom a cluster was deregistered without confirming that its backups may stop. */
    public record Retirement(Instant at, String by) {}

    @Override public String type() { return EventTypes.CLUSTER_REGISTERED; }
    @Override public String topic() { return Topics.CLUSTERS; }
    @Override public String eventId() { return "cluster/" + clusterId + "/" + updatedAt.toEpochMilli(); }
}
