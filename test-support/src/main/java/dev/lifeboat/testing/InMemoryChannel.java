package dev.lifeboat.testing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: one consumer channel (init arg {@link #CHANNEL}, the consumer's own
 * channel constant) fed by the test through SmallRye's in-memory connector instead of Kafka, so a
 * handler's acknowledgement and rejection are seen directly. Use it with
 * {@code restrictToAnnotatedClass = true} and tag the class {@link #TAG}: such classes run in a JVM
 * of their own (the failsafe execution {@code in-memory-channel}), because a test resource of one
 * class makes Quarkus restart for the next one, and that restart can fail (quarkusio/quarkus#50661).
 */
public class InMemoryChannel implements QuarkusTestResourceLifecycleManager {
    /** The JUnit tag of the test classes that use it; the failsafe execution of that name runs only them. */
    public static final String TAG = "in-memory-channel";
    /** The init arg naming the channel. */
    public static final String CHANNEL = "channel";
    /** SmallRye's in-memory connector ({@code InMemoryConnector.CONNECTOR}). */
    static final String CONNECTOR = "smallrye-in-memory";

    private String channel;

    @Override
    public void init(Map<String, String> initArgs) {
        channel = initArgs.get(CHANNEL);
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("InMemoryChannel needs the init arg " + CHANNEL);
        }
    }

    @Override
    public Map<String, String> start() {
        // channels are named by their topics, so their names have dots: quoted in the key
        return Map.of("mp.messaging.incoming.\"" + channel + "\".connector", CONNECTOR);
    }

    @Override
    public void stop() {
        // nothing outlives the application: the channel is configuration only
    }

    /** What the consumer did with one message. */
    public record Delivery(CompletableFuture<Void> acked, CompletableFuture<Throwable> nacked) {
    }

    /**
     * Sends {@code payload} with {@code metadata} to the channel's source (e.g.
     * {@code connector.<Message<ConsumerRecord<String, byte[]>>>source(CHANNEL)::send}).
     */
    public static <T> Delivery send(Consumer<Message<T>> source, T payload, Metadata metadata) {
        Delivery delivery = new Delivery(new CompletableFuture<>(), new CompletableFuture<>());
        source.accept(Message.of(payload, metadata,
                () -> {
                    delivery.acked().complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                error -> {
                    delivery.nacked().complete(error);
                    return CompletableFuture.completedFuture(null);
                }));
        return delivery;
    }

    /** A consumer's record on {@code topic} at {@code offset} carrying what a producer sent. */
    public static ConsumerRecord<String, byte[]> record(String topic, long offset, ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(topic, 0, offset, 0L, TimestampType.CREATE_TIME, 0, sent.value().length,
                sent.key(), sent.value(), sent.headers(), Optional.empty());
    }

    /** A record that is not a CloudEvent: three bytes, no headers. */
    public static ConsumerRecord<String, byte[]> poison(String topic, long offset, String key) {
        return new ConsumerRecord<>(topic, 0, offset, 0L, TimestampType.CREATE_TIME, 0, 3, key, "bad".getBytes(),
                new RecordHeaders(), Optional.empty());
    }
}
