package dev.lifeboat.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;

/**
 * The one Kafka reader of the tests: reads topics without a consumer group, from the beginning
 * or from the end as of its creation, on its own thread, and keeps every record it read. Tests
 * wait for what they expect with Awaitility ({@link #await}, {@link #awaitCount},
 * {@link #awaitEvents}), look at raw records or decoded events, and {@link #readToEnd} shows
 * everything published up to now. Filter by key (the cluster id) to see only a test's own events.
 */
public final class TopicRecorder implements AutoCloseable {
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    /** Only for end offsets: the reader thread owns {@link #consumer}. */
    private final KafkaConsumer<String, byte[]> offsets;
    private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    /** Records of {@code topics} from their beginning. */
    public TopicRecorder(String bootstrapServers, String... topics) {
        this(bootstrapServers, Map.of(), false, topics);
    }

    /**
     * Records of {@code topics} from their beginning, read with client security settings such as
     * {@code security.protocol} and {@code sasl.*}.
     */
    public TopicRecorder(String bootstrapServers, Map<String, String> security, String... topics) {
        this(bootstrapServers, security, false, topics);
    }

    /** Records of {@code topics} from their beginning. */
    public static TopicRecorder fromBeginning(String bootstrapServers, String... topics) {
        return new TopicRecorder(bootstrapServers, Map.of(), false, topics);
    }

    /** Only records published after this call returned. */
    public static TopicRecorder fromEnd(String bootstrapServers, String... topics) {
        return new TopicRecorder(bootstrapServers, Map.of(), true, topics);
    }

    private TopicRecorder(String bootstrapServers, Map<String, String> security, boolean fromEnd, String... topics) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        offsets = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        for (String topic : topics) {
            List<PartitionInfo> infos;
            try {
                infos = Awaitility.await("topic " + topic).atMost(TOPIC_WAIT).ignoreExceptions()
                        .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(5)), found -> !found.isEmpty());
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("topic " + topic + " does not exist", e);
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(partitions);
        }
        // resolve the start offsets now, before the caller publishes anything
        partitions.forEach(tp -> positions.put(tp, consumer.position(tp)));
        reader = new Thread(this::read, "topic-recorder");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                }
                partitions.forEach(tp -> positions.put(tp, consumer.position(tp)));
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** Every record read so far. */
    public List<ConsumerRecord<String, byte[]>> records() {
        check();
        return List.copyOf(seen);
    }

    /** Records read so far that match {@code filter}. */
    public List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> filter) {
        return records().stream().filter(filter).toList();
    }

    /** Waits for the first record matching {@code filter}; fails after {@code timeout}. */
    public ConsumerRecord<String, byte[]> await(Predicate<ConsumerRecord<String, byte[]>> filter, Duration timeout) {
        return awaitCount(filter, 1, timeout).get(0);
    }

    /** Waits until at least {@code count} records match; returns all matching records seen so far. */
    public List<ConsumerRecord<String, byte[]>> awaitCount(Predicate<ConsumerRecord<String, byte[]>> filter, int count,
                                                           Duration timeout) {
        return Awaitility.await(count + " matching record(s)").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> records(filter), matching -> matching.size() >= count);
    }

    /** Waits until {@code done} holds for every record read so far; returns them. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                             Duration timeout) {
        return Awaitility.await("the expected records").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(this::records, done::test);
    }

    /** Decoded events of {@code type} keyed {@code key} (the cluster id), read so far. */
    public <T extends LifeboatEvent> List<T> events(Class<T> type, String key) {
        return records(r -> key.equals(r.key()) && r.value() != null).stream().map(TopicRecorder::decodeOrNull)
                .filter(type::isInstance).map(type::cast).toList();
    }

    /** Decoded events of {@code type} keyed {@code key}, once {@code count} of them arrived. */
    public <T extends LifeboatEvent> List<T> awaitEvents(Class<T> type, String key, int count, Duration timeout) {
        return Awaitility.await(count + " " + type.getSimpleName() + " of " + key).atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> events(type, key), found -> found.size() >= count);
    }

    /**
     * Waits until everything the topics hold right now has been read. Publishers block until Kafka
     * acknowledged, so after they returned this shows every event they sent, and that nothing
     * else was sent.
     */
    public void readToEnd() {
        Map<TopicPartition, Long> end;
        synchronized (offsets) {
            end = offsets.endOffsets(partitions, Duration.ofSeconds(30));
        }
        Awaitility.await("the end of " + end.keySet()).atMost(TOPIC_WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue()));
        check();
    }

    /**
     * Every record matching {@code filter} published up to now, and any that arrive within
     * {@code quiet} after: for checking that nothing more (a second verdict, a failure) comes.
     */
    public List<ConsumerRecord<String, byte[]>> drain(Predicate<ConsumerRecord<String, byte[]>> filter, Duration quiet) {
        readToEnd();
        Awaitility.await().pollDelay(quiet).atMost(quiet.plusSeconds(5)).until(() -> true);
        return records(filter);
    }

    public static Predicate<ConsumerRecord<String, byte[]>> keyed(String key) {
        return r -> key.equals(r.key());
    }

    private static LifeboatEvent decodeOrNull(ConsumerRecord<String, byte[]> record) {
        try {
            return CloudEventCodec.decode(record);
        } catch (RuntimeException undecodable) {
            return null; // e.g. a dead-letter record, kept raw
        }
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the topic recorder stopped reading", failure);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (offsets) {
            offsets.close();
        }
    }
}
