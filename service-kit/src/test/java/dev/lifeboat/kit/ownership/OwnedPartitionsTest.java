package dev.lifeboat.kit.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class OwnedPartitionsTest {
    @Test
    void aClusterIdLandsOnThePartitionKafkasProducerPicksForItsKey() {
        for (String id : new String[] {"prod-eu-1", "a", "cluster-000", "z9"}) {
            for (int partitions : new int[] {1, 3, 12, 50}) {
                int kafka = BuiltInPartitioner.partitionForKey(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions);
                assertThat(OwnedPartitions.partitionOf(id, partitions)).as("%s over %d", id, partitions).isEqualTo(kafka);
            }
        }
    }

    @Test
    void disjointPartitionSetsCoverEveryClusterExactlyOnce() {
        OwnedPartitions a = new OwnedPartitions(Set.of(0, 2, 4, 6, 8, 10), 12);
        OwnedPartitions b = new OwnedPartitions(Set.of(1, 3, 5, 7, 9, 11), 12);
        IntStream.range(0, 500).mapToObj(i -> "c-" + i)
                .forEach(id -> assertThat(a.covers(id) ^ b.covers(id)).as(id).isTrue());
        assertThat(OwnedPartitions.NONE.covers("c-1")).isFalse();
    }
}
