package dev.lifeboat.verifier.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.KafkaClientConfig;

/**
 * Parks records that cannot be decoded on the topic's dead-letter topic, unchanged, with headers
 * saying where they came from and why, so the consumer can move on.
 */
@ApplicationScoped
public class DeadLetters {
    public static final String REASON_HEADER = "dead-letter-reason";

    private final KafkaProducer<String, byte[]> producer;

    public DeadLetters(KafkaClientConfig kafka, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.producer = new KafkaProducer<>(kafka.producer(service + "-dead-letters", Duration.ofSeconds(30)),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Copies {@code record} to its dead-letter topic and waits for Kafka to acknowledge it. */
    public void park(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.deadLetter(record.topic()), record.key(),
                record.value());
        for (Header h : record.headers()) {
            out.headers().add(h);
        }
        out.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-partition", String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-offset", String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(out).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking a record", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot park a record on " + out.topic() + ": " + e, e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
