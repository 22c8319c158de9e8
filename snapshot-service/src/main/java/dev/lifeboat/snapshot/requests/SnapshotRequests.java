package dev.lifeboat.snapshot.requests;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.config.LifeboatConfig;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.messaging.TopicSetup;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The asking side: an on-demand snapshot request for a cluster another replica owns is sent to
 * that owner (keyed by cluster id on the ownership topic), and its answer read back from the
 * replies topic, which this replica follows from its end since start-up.
 */
@ApplicationScoped
public class SnapshotRequests {
    private static final Logger LOG = Logger.getLogger(SnapshotRequests.class);

    private final ClusterOwnership ownership;
    private final KafkaClientConfig kafka;
    private final LifeboatConfig config;
    private final String service;
    private final Map<String, CompletableFuture<SnapshotAnswer>> pending = new ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> answers;
    private volatile boolean running;
    private Thread reader;

    public SnapshotRequests(ClusterOwnership ownership, KafkaClientConfig kafka, LifeboatConfig config,
                            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
        this.ownership = ownership;
        this.kafka = kafka;
        this.config = config;
    }

    // after the topics (priority 1); ready before the API takes requests
    void onStart(@Observes @Priority(4) StartupEvent event) {
        if (!ownership.enabled()) {
            return;
        }
        String topic = repliesTopic();
        new TopicSetup(kafka, config.topics().partitions(), config.topics().replicationFactor())
                .ensureOwnership(topic, config.topics().partitions());
        String client = "snapshot-requests-" + ownership.replica();
        producer = new KafkaProducer<>(kafka.producer(client, Duration.ofSeconds(5)), new StringSerializer(),
                new ByteArraySerializer());
        answers = new KafkaConsumer<>(kafka.consumer(client), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = answers.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        answers.assign(partitions);
        answers.seekToEnd(partitions);
        partitions.forEach(answers::position);
        running = true;
        reader = new Thread(this::read, "snapshot-answers");
        reader.setDaemon(true);
        reader.start();
    }

    private String repliesTopic() {
        return Topics.ownershipReplies(service);
    }

    /**
     * Asks the owner of the cluster; empty when no answer came within {@code timeout} (no owner
     * right now: a handover, or the owner is down).
     */
    public Optional<SnapshotAnswer> ask(String clusterId, Duration timeout) throws InterruptedException {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<SnapshotAnswer> answer = new CompletableFuture<>();
        pending.put(requestId, answer);
        try {
            SnapshotRequest request = new SnapshotRequest(requestId, clusterId, ownership.replica(),
                    System.currentTimeMillis() + timeout.toMillis());
            producer.send(new ProducerRecord<>(ownership.topic(), clusterId, EventJson.mapper().writeValueAsBytes(request)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException | IOException e) {
            LOG.warnf("cluster %s: snapshot request not sent to its owner: %s", clusterId, e.toString());
            return Optional.empty();
        } finally {
            pending.remove(requestId);
        }
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : answers.poll(Duration.ofMillis(200))) {
                    try {
                        SnapshotAnswer a = EventJson.mapper().readValue(r.value(), SnapshotAnswer.class);
                        CompletableFuture<SnapshotAnswer> waiting = a.requestId() == null ? null : pending.get(a.requestId());
                        if (waiting != null) {
                            waiting.complete(a);
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.debugf("unreadable answer at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            answers.close();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (reader == null) {
            return;
        }
        running = false;
        answers.wakeup();
        reader.join(5000);
        producer.close(Duration.ofSeconds(5));
    }
}
