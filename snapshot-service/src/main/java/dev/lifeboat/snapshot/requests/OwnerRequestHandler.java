package dev.lifeboat.snapshot.requests;

import java.io.IOException;
import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The owner's side of on-demand snapshots asked for on another replica: each request on an owned
 * partition is decided here, by the one replica that starts this cluster's snapshots, so "409
 * while one runs" holds across replicas. Requests past their deadline (nobody waits any more) are
 * dropped; a replica that is not sure it owns the cluster does not answer (the asker answers 503).
 * Decided on the ownership thread, so a decision and the release of the cluster never interleave;
 * deciding writes the accepted snapshot's record to Kafka (milliseconds; at most 5 s while Kafka
 * does not answer, see {@code AcceptedSnapshots}).
 */
@ApplicationScoped
public class OwnerRequestHandler {
    private static final Logger LOG = Logger.getLogger(OwnerRequestHandler.class);

    private final ClusterOwnership ownership;
    private final ClusterRegistry registry;
    private final OnDemandSnapshots local;
    private final KafkaClientConfig kafka;
    private KafkaProducer<String, byte[]> producer;
    private final String service;
    private String replies;

    public OwnerRequestHandler(ClusterOwnership ownership, ClusterRegistry registry, OnDemandSnapshots local,
                               KafkaClientConfig kafka, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
        this.ownership = ownership;
        this.registry = registry;
        this.local = local;
        this.kafka = kafka;
    }

    // before the ownership member starts (priority 3), so no request arrives without a handler
    void onStart(@Observes @Priority(2) StartupEvent event) {
        if (!ownership.enabled()) {
            return;
        }
        replies = Topics.ownershipReplies(service);
        producer = new KafkaProducer<>(kafka.producer("snapshot-requests-owner-" + ownership.replica(),
                Duration.ofSeconds(5)), new StringSerializer(), new ByteArraySerializer());
        ownership.onRequests(this::handle);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        SnapshotRequest request;
        try {
            request = EventJson.mapper().readValue(record.value(), SnapshotRequest.class);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("unreadable snapshot request at %s-%d@%d dropped: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (request.clusterId() == null || !request.clusterId().equals(record.key())) {
            LOG.warnf("snapshot request at %s-%d@%d names another cluster than its key; dropped", record.topic(),
                    record.partition(), record.offset());
            return;
        }
        if (System.currentTimeMillis() > request.deadline()) {
            LOG.infof("cluster %s: snapshot request %s from %s arrived after its deadline; not acted on",
                    request.clusterId(), request.requestId(), request.replica());
            return;
        }
        if (!ownership.owns(request.clusterId())) {
            return;
        }
        SnapshotAnswer answer = registry.get(request.clusterId())
                .map(spec -> local.decide(request.requestId(), request.clusterId(), spec))
                .orElseGet(() -> new SnapshotAnswer(request.requestId(), request.clusterId(),
                        SnapshotAnswer.Outcome.NOT_REGISTERED, null, "cluster " + request.clusterId() + " is not registered"));
        try {
            producer.send(new ProducerRecord<>(replies, request.clusterId(), EventJson.mapper().writeValueAsBytes(answer)),
                    (meta, e) -> {
                        if (e != null) {
                            LOG.warnf("cluster %s: answer to snapshot request %s not delivered: %s", request.clusterId(),
                                    request.requestId(), e.toString());
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
