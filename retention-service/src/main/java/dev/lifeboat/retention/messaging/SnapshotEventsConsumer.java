package dev.lifeboat.retention.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.retention.pruning.RunTriggers;

/**
 * Asks for a retention run of a cluster whenever one of its snapshots is taken, verified or
 * replicated. A record that is not the expected event, or carries invalid ids, fails and goes to
 * its topic's dead-letter topic; the event itself carries nothing retention needs beyond the
 * cluster. The channels are named by their topics.
 */
@ApplicationScoped
public class SnapshotEventsConsumer {
    public static final String TAKEN = Topics.SNAPSHOTS_TAKEN;
    public static final String VERIFIED = Topics.SNAPSHOTS_VERIFIED;
    public static final String REPLICATED = Topics.SNAPSHOTS_REPLICATED;

    private final RunTriggers triggers;

    public SnapshotEventsConsumer(RunTriggers triggers) {
        this.triggers = triggers;
    }

    @Incoming(TAKEN)
    public void onTaken(ConsumerRecord<String, byte[]> record) {
        request(Events.decode(record, SnapshotTaken.class));
    }

    @Incoming(VERIFIED)
    public void onVerified(ConsumerRecord<String, byte[]> record) {
        request(Events.decode(record, SnapshotVerified.class));
    }

    @Incoming(REPLICATED)
    public void onReplicated(ConsumerRecord<String, byte[]> record) {
        request(Events.decode(record, SnapshotReplicated.class));
    }

    private void request(LifeboatEvent event) {
        triggers.request(event.clusterId());
    }
}
