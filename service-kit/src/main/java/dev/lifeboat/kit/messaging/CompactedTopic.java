package dev.lifeboat.kit.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.lifeboat.events.Topics;

/**
 * A compacted topic that holds a service's own state (not an event topic): one record per key, a
 * null value removing it. {@link #open} creates the topic when it is missing and one producer for
 * this process, whose writes are acknowledged or failed within the write timeout;
 * {@link #latestValues} reads the whole topic, from its start to its end as of the call, without
 * a consumer group.
 */
public final class CompactedTopic implements AutoCloseable {
    private final KafkaClientConfig kafka;
    private final String topic;
    private final String clientId;
    private final Duration writeTimeout;
    private final KafkaProducer<String, byte[]> producer;

    private CompactedTopic(KafkaClientConfig kafka, String topic, String clientId, Duration writeTimeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.clientId = clientId;
        this.writeTimeout = writeTimeout;
        this.producer = new KafkaProducer<>(kafka.producer(clientId, writeTimeout), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Creates {@code topic} (compacted, one partition) when it is missing, with the replication
     * factor of {@code setup}, and a producer named {@code clientId}.
     *
     * @throws IllegalStateException when the topic cannot be created
     */
    public static CompactedTopic open(KafkaClientConfig kafka, TopicSetup setup, String topic, String clientId,
                                      Duration writeTimeout) {
        setup.ensure(new Topics.TopicSpec(topic, true));
        return new CompactedTopic(kafka, topic, clientId, writeTimeout);
    }

    public String name() {
        return topic;
    }

    /**
     * Writes {@code value} under {@code key} ({@code null}: removes the key), without waiting;
     * {@code sent} hears of the acknowledgement or the failure. {@code send} itself may wait for
     * the topic's metadata, at most the write timeout.
     */
    public Future<RecordMetadata> write(String key, byte[] value, Callback sent) {
        return producer.send(new ProducerRecord<>(topic, key, value), sent);
    }

    /** Waits until every record written so far is acknowledged or failed (each within the write timeout). */
    public void flush() {
        producer.flush();
    }

    /**
     * The latest value of each key, reading the topic from its start to its end as of this call;
     * what is written after the call is not read.
     *
     * @throws IllegalStateException when Kafka does not deliver the topic within {@code timeout}
     */
    public Map<String, byte[]> latestValues(Duration timeout) {
        Map<String, byte[]> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(clientId + "-reader"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null || r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after this call
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("could not read " + topic + ": " + e, e);
        }
        return latest;
    }

    /** Writes what is still pending (at most the write timeout), then closes the producer. */
    @Override
    public void close() {
        producer.close(writeTimeout);
    }
}
