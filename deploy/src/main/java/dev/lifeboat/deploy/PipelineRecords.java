package dev.lifeboat.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.Topics;

/**
 * The pipeline's topics (taken, verified, replicated, failures) read from their beginning, for the
 * clusters whose id starts with a prefix, decoded: what the soak and the fleet benchmark judge from.
 * An unreadable record is printed and left out; removals (null values) are left out.
 */
final class PipelineRecords implements AutoCloseable {
    /** One event with its record's timestamp. */
    record Timed(LifeboatEvent event, Instant at) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final String clusterPrefix;

    PipelineRecords(String bootstrap, String clusterPrefix) {
        this.clusterPrefix = clusterPrefix;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        for (String topic : List.of(Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED, Topics.SNAPSHOTS_REPLICATED,
                Topics.FAILURES)) {
            consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The events that arrived within half a second, oldest first per partition. */
    List<Timed> poll() {
        List<Timed> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.key() == null || !r.key().startsWith(clusterPrefix) || r.value() == null) {
                continue;
            }
            try {
                events.add(new Timed(CloudEventCodec.decode(r), Instant.ofEpochMilli(r.timestamp())));
            } catch (MalformedEventException e) {
                System.out.println("unreadable record " + r.topic() + "@" + r.offset() + ": " + e.getMessage());
            }
        }
        return events;
    }

    /** Where the topics end now: pass it to {@link #readTo} to know that all published so far was read. */
    Map<TopicPartition, Long> ends() {
        return consumer.endOffsets(partitions);
    }

    boolean readTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
