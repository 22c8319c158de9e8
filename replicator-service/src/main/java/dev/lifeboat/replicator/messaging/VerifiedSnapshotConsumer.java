package dev.lifeboat.replicator.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.replicator.config.ReplicatorConfig;
import dev.lifeboat.replicator.replication.VerifiedSnapshotReplication;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes {@code lifeboat.snapshots.verified}. A record's handling returns at once and holds no
 * thread while its copies wait for their regions: the record is acknowledged when every target
 * region succeeded or published its failure (the throttled commit strategy never commits past a
 * record still in progress). So a region outage holds no worker that a healthy region's events
 * need. At most {@code max-records-in-flight} records are in progress; beyond, consumption waits.
 * A record that is not a {@code SnapshotVerified} CloudEvent, or carries invalid ids, is rejected
 * at once and goes to the dead-letter topic.
 */
@ApplicationScoped
public class VerifiedSnapshotConsumer {
    /** The incoming channel, named by its topic. */
    public static final String CHANNEL = Topics.SNAPSHOTS_VERIFIED;

    private static final Logger LOG = Logger.getLogger(VerifiedSnapshotConsumer.class);

    private final VerifiedSnapshotReplication replication;
    private final RecordsInFlight inFlight;
    /** Starts each record's replication (which may wait for the registry) off the consumer's thread. */
    private final ExecutorService starts = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "replication-start");
        t.setDaemon(true);
        return t;
    });

    public VerifiedSnapshotConsumer(VerifiedSnapshotReplication replication, ReplicatorConfig config) {
        this.replication = replication;
        this.inFlight = new RecordsInFlight(config.maxRecordsInFlight());
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        SnapshotVerified event;
        try {
            event = Events.decode(record(message), SnapshotVerified.class);
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        return inFlight.admit().thenRun(() -> starts.execute(() -> {
            CompletableFuture<?> done;
            try {
                done = replication.replicate(event);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((outcomes, error) -> {
                inFlight.done();
                if (error != null) {
                    message.nack(error);
                } else {
                    LOG.debugf("verified %s/%s handled: %s", event.clusterId(), event.snapshotId(), outcomes);
                    message.ack();
                }
            });
        }));
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]> record(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> (ConsumerRecord<String, byte[]>) m.getRecord())
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka record"));
    }

    @PreDestroy
    void stop() {
        starts.shutdownNow();
    }
}
