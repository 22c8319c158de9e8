package dev.lifeboat.kit.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.api.FieldError;
import dev.lifeboat.kit.registry.ClusterSpecValidator;
import dev.lifeboat.kit.registry.RegistrationRules;
import dev.lifeboat.kit.registry.RejectedRegistrations;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The registered clusters as every service sees them: the compacted {@link Topics#CLUSTERS} topic
 * read from the beginning (no consumer group, no other database) and followed. The service
 * starts only once everything on the topic at start-up has been read, so it never acts on a
 * partial list of clusters. Every record read is checked with the REST API's {@link
 * ClusterSpecValidator} ({@link ClusterSpecValidator#validateStored}); one that fails is reported
 * ({@link RejectedRegistrations}) and skipped, so the cluster keeps what it had and no other
 * cluster notices.
 */
@ApplicationScoped
public class ClusterRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClientConfig kafka;
    private final String clientId;
    private final ClusterSpecValidator validator;
    private final RejectedRegistrations rejected;
    private final Map<String, ClusterRegistered> clusters = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Thread thread;
    private KafkaConsumer<String, byte[]> consumer;

    @Inject
    public ClusterRegistry(KafkaClientConfig kafka, @ConfigProperty(name = "quarkus.application.name") String service,
                           RegistrationRules rules, EventPublisher publisher) {
        this(kafka, service, rules.validator(), new RejectedRegistrations(publisher));
    }

    public ClusterRegistry(KafkaClientConfig kafka, String service, ClusterSpecValidator validator,
                           RejectedRegistrations rejected) {
        this.kafka = kafka;
        this.clientId = service + "-registry";
        this.validator = validator;
        this.rejected = rejected;
    }

    // after the topics exist (TopicsAtStartup, priority 1), before channels and schedules start
    void onStart(@Observes @Priority(2) StartupEvent event) throws InterruptedException {
        startCaughtUp(CATCH_UP_TIMEOUT);
        LOG.infof("cluster registry ready with %d cluster(s)", clusters.size());
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    /**
     * Starts reading and waits until the whole registry has been read; fails with a readable
     * message when Kafka does not deliver it in time.
     */
    public ClusterRegistry startCaughtUp(Duration timeout) throws InterruptedException {
        start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("could not read the cluster registry from " + Topics.CLUSTERS + " on "
                    + kafka.bootstrapServers() + " within " + timeout.toSeconds() + " s");
        }
        return this;
    }

    private synchronized void start() {
        if (thread != null) {
            return;
        }
        consumer = new KafkaConsumer<>(kafka.consumer(clientId), new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "cluster-registry");
        thread.setDaemon(true);
        thread.start();
    }

    public Optional<ClusterSpec> get(String clusterId) {
        return registration(clusterId).map(ClusterRegistered::spec);
    }

    /**
     * The registration last read or written for a registered (not retired) cluster; its
     * {@code updatedAt} says since when its spec applies.
     */
    public Optional<ClusterRegistered> registration(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId)).filter(r -> r.retired() == null);
    }

    /** Every registered cluster's spec, by cluster id (retired clusters are not registered). */
    public Map<String, ClusterSpec> all() {
        return specs(false);
    }

    /**
     * Deregistered clusters whose backups are still expected ({@link ClusterRegistered#retired()}),
     * with their last spec: not backed up any more, but watched while they have snapshots.
     */
    public Map<String, ClusterSpec> retired() {
        return specs(true);
    }

    /** The last registration of a deregistered cluster whose backups are still watched. */
    public Optional<ClusterSpec> retired(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId)).filter(r -> r.retired() != null)
                .map(ClusterRegistered::spec);
    }

    private Map<String, ClusterSpec> specs(boolean retired) {
        return clusters.entrySet().stream().filter(e -> (e.getValue().retired() != null) == retired)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().spec()));
    }

    /** True once everything that was on the topic at start-up has been read. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Blocks until the registry has been read to the end once; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while the registry has been read to the end once and is still being followed. */
    public boolean isReady() {
        Thread t = thread;
        return caughtUp.getCount() == 0 && t != null && t.isAlive();
    }

    /**
     * A registration (or retirement) this process has just written, acknowledged by Kafka,
     * applied without waiting for it to come back.
     */
    public void applyWritten(ClusterRegistered registration) {
        clusters.put(registration.clusterId(), registration);
    }

    /** A removal this process has just written (a tombstone acknowledged by Kafka). */
    public void applyRemoved(String clusterId) {
        clusters.remove(clusterId);
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
                    LOG.infof("cluster registry loaded: %d cluster(s)", clusters.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("cluster registry reader stopped; the service is not ready until it is restarted", e);
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
        if (r.value() == null) {
            clusters.remove(r.key());
            return;
        }
        ClusterRegistered registered;
        try {
            registered = CloudEventCodec.decode(r, ClusterRegistered.class);
        } catch (MalformedEventException e) {
            rejected.reject(r.key(), r.offset(), "unreadable: " + e.getMessage());
            return;
        }
        if (registered.spec() == null || !r.key().equals(registered.clusterId())) {
            rejected.reject(r.key(), r.offset(), registered.spec() == null ? "no spec" : "it names another cluster");
            return;
        }
        List<FieldError> errors = validator.validateStored(r.key(), registered.spec());
        if (!errors.isEmpty()) {
            rejected.reject(r.key(), r.offset(), errors);
            return;
        }
        clusters.put(r.key(), registered);
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        consumer.wakeup();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
