package dev.lifeboat.events;

import java.time.Instant;

/** Value of the compacted {@link Topics#CLUSTERS} topic; a tombstone (null value) removes the cluster. */
public record ClusterRegistered(String clusterId, ClusterSpec spec, Instant updatedAt) implements LifeboatEvent {
    @Override public String type() { return EventTypes.CLUSTER_REGISTERED; }
    @Override public String topic() { return Topics.CLUSTERS; }
    @Override public String eventId() { return "cluster/" + clusterId + "/" + updatedAt.toEpochMilli(); }
}
