package dev.lifeboat.replicator.kafka;

import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import org.jboss.logging.Logger;

import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.replicator.run.RegionOutcome;
import dev.lifeboat.replicator.run.VerifiedSnapshotReplication;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes {@code lifeboat.snapshots.verified}. Each record is handled on a worker of its own
 * (unordered, so one cluster waiting for a region to come back holds up no other record) and is
 * acknowledged only when every target region succeeded or published its failure; the throttled
 * commit strategy never commits past a record that is still being worked on. A record that is not
 * a {@code SnapshotVerified} CloudEvent, or carries invalid ids, is rejected at once and goes to the
 * dead-letter topic.
 */
@ApplicationScoped
public class VerifiedSnapshotConsumer {
    /** The incoming channel, named by its topic. */
    public static final String CHANNEL = Topics.SNAPSHOTS_VERIFIED;
    /** The worker pool the records are handled on; its size bounds the records in progress. */
    public static final String WORKERS = "replication-events";

    private static final Logger LOG = Logger.getLogger(VerifiedSnapshotConsumer.class);

    private final VerifiedSnapshotReplication replication;

    public VerifiedSnapshotConsumer(VerifiedSnapshotReplication replication) {
        this.replication = replication;
    }

    @Incoming(CHANNEL)
    @Blocking(value = WORKERS, ordered = false)
    public void consume(ConsumerRecord<String, byte[]> record) {
        SnapshotVerified event = Events.decode(record, SnapshotVerified.class);
        try {
            List<RegionOutcome> outcomes = replication.replicate(event).join();
            LOG.debug("verified " + event.clusterId() + "/" + event.snapshotId() + " handled: " + outcomes);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
