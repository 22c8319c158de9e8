package dev.lifeboat.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The cluster registry as every service sees it: reads the compacted {@link Topics#CLUSTERS}
 * topic from the beginning (no consumer group, no other database) and keeps following it.
 */
public class ClusterRegistryReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterRegistryReader.class.getName());

    private final Map<String, ClusterSpec> clusters = new ConcurrentHashMap<>();
    private final Map<String, ClusterRegistered> registrations = new ConcurrentHashMap<>();
    private final Map<String, ClusterRegistered> retired = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private final BiConsumer<String, ClusterSpec> listener;
    private volatile boolean running = true;

    /** @param listener told of every change after catch-up (spec null = removed); may be null */
    public ClusterRegistryReader(String bootstrapServers, String clientId, BiConsumer<String, ClusterSpec> listener) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.listener = listener;
        this.thread = new Thread(this::run, "cluster-registry-reader");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a reader and waits until it has read the whole registry, so a service never acts on a
     * partial list of clusters; fails with a readable message when Kafka does not deliver in time.
     */
    public static ClusterRegistryReader startCaughtUp(String bootstrapServers, String clientId,
                                                      BiConsumer<String, ClusterSpec> listener, Duration timeout)
            throws InterruptedException {
        ClusterRegistryReader reader = new ClusterRegistryReader(bootstrapServers, clientId, listener).start();
        if (!reader.awaitCaughtUp(timeout)) {
            reader.close();
            throw new IllegalStateException("could not read the cluster registry from " + Topics.CLUSTERS + " on "
                    + bootstrapServers + " within " + timeout.toSeconds() + " s");
        }
        return reader;
    }

    public ClusterRegistryReader start() {
        thread.start();
        return this;
    }

    /** Blocks until everything on the topic at start time has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public Optional<ClusterSpec> get(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    public Map<String, ClusterSpec> all() {
        return Map.copyOf(clusters);
    }

    /**
     * The registration event last read for the cluster (its {@code updatedAt} says since when the
     * current spec applies); empty for clusters only known through {@link #apply}.
     */
    public Optional<ClusterRegistered> registration(String clusterId) {
        return Optional.ofNullable(registrations.get(clusterId));
    }

    /**
     * Deregistered clusters whose backups are still expected ({@link ClusterRegistered#retired()}):
     * not backed up any more, but watched while they have snapshots.
     */
    public Map<String, ClusterRegistered> retired() {
        return Map.copyOf(retired);
    }

    /** Applies a change this process just wrote, without waiting for it to come back from Kafka. */
    public void apply(ClusterRegistered registered) {
        if (registered.retired() != null) {
            retired.put(registered.clusterId(), registered);
            apply(registered.clusterId(), null);
        } else {
            retired.remove(registered.clusterId());
            registrations.put(registered.clusterId(), registered);
            apply(registered.clusterId(), registered.spec());
        }
    }

    /** Applies a change this process just wrote, without waiting for it to come back from Kafka. */
    public void apply(String clusterId, ClusterSpec spec) {
        if (spec != null) {
            retired.remove(clusterId);
        }
        if (spec == null) {
            clusters.remove(clusterId);
        } else {
            clusters.put(clusterId, spec);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    handle(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.info(() -> "cluster registry loaded: " + clusters.size() + " cluster(s)");
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cluster registry reader stopped", e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.CLUSTERS, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        ClusterSpec spec = null;
        ClusterRegistered registered = null;
        if (r.value() != null) {
            try {
                registered = CloudEventCodec.decode(r, ClusterRegistered.class);
                spec = registered.retired() == null ? registered.spec() : null;
            } catch (MalformedEventException e) {
                LOG.warning("ignoring unreadable registry record for " + r.key() + " at offset " + r.offset() + ": "
                        + e.getMessage());
                return;
            }
        }
        if (registered == null) {
            registrations.remove(r.key());
            retired.remove(r.key());
            apply(r.key(), null);
        } else {
            registrations.put(r.key(), registered);
            apply(registered);
        }
        if (listener != null && isCaughtUp()) {
            listener.accept(r.key(), spec);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
