package dev.lifeboat.kit.messaging;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;

/**
 * Publishes Lifeboat events to their topics and waits for the broker's acknowledgement, so a
 * caller only reports success once the event is durable. Idempotent producer, acks=all.
 */
public class EventPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final long MAX_RETRY_WAIT_MILLIS = 30_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String source;
    private final Duration timeout;

    /** @param source the CloudEvent {@code ce_source}: the service's name */
    public EventPublisher(KafkaClientConfig kafka, String source, Duration timeout) {
        this.producer = new KafkaProducer<>(kafka.producer(source + "-events", timeout), new StringSerializer(),
                new ByteArraySerializer());
        this.source = source;
        this.timeout = timeout;
    }

    /** Sends the event and blocks until Kafka acknowledged it; throws {@link EventPublishException} otherwise. */
    public void publish(LifeboatEvent event) {
        send(CloudEventCodec.encode(event, source));
    }

    /**
     * Publishes a reply that must not be lost, retrying while Kafka does not acknowledge it (waits
     * of 1 s doubling to 30 s). The consumer's record stays unacknowledged meanwhile, so once
     * Kafka is back the reply goes out and consumption goes on by itself: a broker outage never
     * leaves a live process that no longer consumes. Throws only when the thread is interrupted
     * (shutdown); the record is then redelivered to the next instance.
     */
    public void publishUntilAcknowledged(LifeboatEvent event) {
        long waitMillis = 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                publish(event);
                return;
            } catch (EventPublishException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warnf("%s of cluster %s not acknowledged (attempt %d), next try in %d ms: %s", event.type(),
                        event.clusterId(), attempt, waitMillis, e.getMessage());
                try {
                    Thread.sleep(waitMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitMillis = Math.min(waitMillis * 2, MAX_RETRY_WAIT_MILLIS);
            }
        }
    }

    /** Writes a tombstone: on a compacted topic this removes the key. */
    public void tombstone(String topic, String key) {
        send(new ProducerRecord<>(topic, key, null));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException("interrupted while publishing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new EventPublishException("could not publish to " + record.topic() + ": " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            // send() itself throws when metadata does not arrive within max.block.ms, or the record is refused
            throw new EventPublishException("could not publish to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
