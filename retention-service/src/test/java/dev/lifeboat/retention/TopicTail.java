package dev.lifeboat.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.testing.LifeboatInfrastructure;

/** Reads what arrives on a topic after it was opened: a plain consumer, no group. */
public final class TopicTail implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicTail(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LifeboatInfrastructure.servers().kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is published
    }

    /** Polls until {@code done} holds for the records read so far, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                             Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + "; read " + seen.size() + " record(s)");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** Decoded events of {@code type} for {@code clusterId}, once {@code count} of them arrived. */
    public <T extends LifeboatEvent> List<T> awaitEvents(Class<T> type, String clusterId, int count, Duration timeout) {
        awaitRecords(records -> events(type, clusterId).size() >= count, timeout);
        return events(type, clusterId);
    }

    public <T extends LifeboatEvent> List<T> events(Class<T> type, String clusterId) {
        return seen.stream().filter(r -> clusterId.equals(r.key()) && r.value() != null)
                .map(CloudEventCodec::decode).filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Reads everything the topic holds right now. Publishers block until Kafka acknowledged, so
     * after they returned this shows every event they sent, and that nothing else was sent.
     */
    public void readToEnd() {
        var end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read to the end of " + end.keySet());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
