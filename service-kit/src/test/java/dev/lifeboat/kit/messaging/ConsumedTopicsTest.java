package dev.lifeboat.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConsumedTopicsTest {
    @Test
    void readsKafkaChannelsQuotedOrNot() {
        Map<String, String> config = Map.of(
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".connector", "smallrye-kafka",
                "mp.messaging.incoming.verified.connector", "smallrye-kafka",
                "mp.messaging.incoming.verified.topic", "lifeboat.snapshots.verified",
                "mp.messaging.incoming.ticks.connector", "smallrye-in-memory",
                "mp.messaging.outgoing.out.connector", "smallrye-kafka",
                "mp.messaging.incoming.verified.dead-letter-queue.topic", "lifeboat.snapshots.verified.dlq");
        assertThat(ConsumedTopics.byChannel(config.keySet(), k -> Optional.ofNullable(config.get(k))))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "lifeboat.snapshots.taken", "lifeboat.snapshots.taken",
                        "verified", "lifeboat.snapshots.verified"));
    }

    @Test
    void everyChannelParksPoisonOnItsTopicsDeadLetterTopic() {
        Map<String, String> good = Map.of(
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".connector", "smallrye-kafka",
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".dead-letter-queue.topic", "lifeboat.snapshots.taken.dlq",
                "mp.messaging.connector.smallrye-kafka.failure-strategy", "dead-letter-queue");
        assertThat(ConsumedTopics.deadLetterProblems(good.keySet(), k -> Optional.ofNullable(good.get(k)))).isEmpty();

        Map<String, String> bad = Map.of(
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".connector", "smallrye-kafka",
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".failure-strategy", "fail",
                "mp.messaging.incoming.\"lifeboat.snapshots.taken\".dead-letter-queue.topic", "dead-letter-topic-x");
        assertThat(ConsumedTopics.deadLetterProblems(bad.keySet(), k -> Optional.ofNullable(bad.get(k))))
                .hasSize(2).anyMatch(p -> p.contains("must be lifeboat.snapshots.taken.dlq"))
                .anyMatch(p -> p.contains("must be dead-letter-queue"));
    }
}
