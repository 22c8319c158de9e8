package dev.lifeboat.events;

import java.util.List;

/** Kafka topic names: the one place where each topic is named. Every topic is keyed by cluster id. */
public final class Topics {
    /** Compacted registry of clusters; a null value removes the cluster. */
    public static final String CLUSTERS = "lifeboat.clusters";
    public static final String SNAPSHOTS_TAKEN = "lifeboat.snapshots.taken";
    public static final String SNAPSHOTS_VERIFIED = "lifeboat.snapshots.verified";
    public static final String SNAPSHOTS_REPLICATED = "lifeboat.snapshots.replicated";
    public static final String SNAPSHOTS_PRUNED = "lifeboat.snapshots.pruned";
    /** Failures of every stage; what alerting systems subscribe to. */
    public static final String FAILURES = "lifeboat.failures";
    /** Every mutating API call: who, what, which cluster, before and after. */
    public static final String AUDIT = "lifeboat.audit";
    /**
     * The snapshot-service's own state, not an event topic (so not in {@link #ALL}), keyed
     * {@code <cluster id>/<snapshot id>} and compacted: each on-demand snapshot accepted
     * (answered 202) and not yet ended; its end writes a null value under its key. Read by the
     * cluster's next owner, which reports one whose replica died as SNAPSHOT_ABANDONED.
     */
    public static final String SNAPSHOTS_ACCEPTED = "lifeboat.snapshots.accepted";
    /**
     * The snapshot-service's own state too, keyed {@code <cluster id>/<snapshot id>} and compacted:
     * each scheduled fire whose attempt failed and was announced by a failure event, so that a
     * later catch-up that finds the fire superseded does not name it again as SNAPSHOT_SKIPPED.
     * Records of fires older than the catch-up window are removed.
     */
    public static final String SNAPSHOTS_FAILED_FIRES = "lifeboat.snapshots.failed-fires";
    /**
     * The snapshot-service's own state too, keyed {@code <cluster id>/<snapshot id>} and compacted:
     * each snapshot still running on a replica that gave its cluster up (the release timed out, or
     * Kafka took the cluster away), renewed while it runs and removed when it ends, so that the
     * cluster's next owner neither takes that fire a second time nor reports the snapshot abandoned.
     */
    public static final String SNAPSHOTS_HANDED_OVER = "lifeboat.snapshots.handed-over";

    /**
     * A service's ownership topic: its owners group subscribes to it, a replica owns the clusters
     * whose keys fall in its partitions, and requests to a cluster's owner are sent on it keyed by
     * cluster id. Created with {@code lifeboat.ownership.partitions} partitions; never repartitioned.
     */
    public static String ownership(String service) {
        return "lifeboat.ownership." + service;
    }

    /**
     * Where the owner of a cluster answers the requests sent on {@link #ownership}; every replica
     * of the service reads all of it (from its end, at start-up) and keeps the answers to its own.
     */
    public static String ownershipReplies(String service) {
        return ownership(service) + ".replies";
    }

    /** Where a consumer parks records it cannot decode, so they never block its partition. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** A topic and whether Kafka keeps only the latest record per key. */
    public record TopicSpec(String name, boolean compacted) {}

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(CLUSTERS, true),
            new TopicSpec(SNAPSHOTS_TAKEN, false),
            new TopicSpec(SNAPSHOTS_VERIFIED, false),
            new TopicSpec(SNAPSHOTS_REPLICATED, false),
            new TopicSpec(SNAPSHOTS_PRUNED, false),
            new TopicSpec(FAILURES, false),
            new TopicSpec(AUDIT, false));

    private Topics() {}
}
