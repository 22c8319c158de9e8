package dev.lifeboat.events;

import java.time.Instant;

/**
 * Value of the compacted {@link Topics#CLUSTERS} topic; a tombstone (null value) removes the cluster.
 *
 * @param retired set when the cluster was deregistered while its backups were still expected: it
 *                is no longer backed up, but the freshness watchdog keeps watching its snapshots
 *                (with {@code spec}, its last registration) until they are gone or an admin
 *                confirms the deregistration, which writes the tombstone
 */
public record ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt, Retirement retired)
        implements LifeboatEvent {

    public ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt) {
        this(clusterId, spec, updatedAt, null);
    }

    /** When and by whom a cluster was deregistered without confirming that its backups may stop. */
    public record Retirement(Instant at, String by) {}

    @Override public String type() { return EventTypes.CLUSTER_REGISTERED; }
    @Override public String topic() { return Topics.CLUSTERS; }
    @Override public String eventId() { return "cluster/" + clusterId + "/" + updatedAt.toEpochMilli(); }
}
