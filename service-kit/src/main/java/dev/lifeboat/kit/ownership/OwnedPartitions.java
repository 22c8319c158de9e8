package dev.lifeboat.kit.ownership;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.utils.Utils;

/**
 * Partitions of a service's ownership topic, and the cluster ids they stand for: a cluster id
 * belongs to the partition Kafka's default partitioner picks for it as a record key, so a
 * request keyed by the cluster id lands on the partition of the replica that owns the cluster.
 *
 * @param partitions     partition numbers
 * @param partitionCount how many partitions the topic has
 */
public record OwnedPartitions(Set<Integer> partitions, int partitionCount) {
    public static final OwnedPartitions NONE = new OwnedPartitions(Set.of(), 0);

    public OwnedPartitions {
        partitions = Set.copyOf(new TreeSet<>(partitions));
    }

    /** The partition of a cluster id in a topic of {@code partitionCount} partitions (Kafka's default partitioner). */
    public static int partitionOf(String clusterId, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition");
        }
        return Utils.toPositive(Utils.murmur2(clusterId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    /** True when the cluster's partition is one of these. */
    public boolean covers(String clusterId) {
        return partitionCount > 0 && partitions.contains(partitionOf(clusterId, partitionCount));
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    @Override
    public String toString() {
        return new TreeSet<>(partitions) + " of " + partitionCount;
    }
}
