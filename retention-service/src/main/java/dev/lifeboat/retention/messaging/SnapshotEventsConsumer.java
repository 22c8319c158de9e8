package dev.lifeboat.retention.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.retention.service.RunTriggers;
import dev.lifeboat.store.SnapshotIds;

/**
 * Asks for a retention run of a cluster whenever one of its snapshots is taken, verified or
 * replicated. An undecodable record fails and goes to its topic's dead-letter topic (see
 * application.properties); the event itself carries nothing retention needs beyond the cluster.
 */
@ApplicationScoped
public class SnapshotEventsConsumer {
    public static final String TAKEN = "snapshots-taken";
    public static final String VERIFIED = "snapshots-verified";
    public static final String REPLICATED = "snapshots-replicated";

    private final RunTriggers triggers;

    public SnapshotEventsConsumer(RunTriggers triggers) {
        this.triggers = triggers;
    }

    @Incoming(TAKEN)
    public void onTaken(ConsumerRecord<String, byte[]> record) {
        request(CloudEventCodec.decode(record, SnapshotTaken.class));
    }

    @Incoming(VERIFIED)
    public void onVerified(ConsumerRecord<String, byte[]> record) {
        request(CloudEventCodec.decode(record, SnapshotVerified.class));
    }

    @Incoming(REPLICATED)
    public void onReplicated(ConsumerRecord<String, byte[]> record) {
        request(CloudEventCodec.decode(record, SnapshotReplicated.class));
    }

    private void request(LifeboatEvent event) {
        if (!SnapshotIds.isValidClusterId(event.clusterId())) {
            throw new MalformedEventException("invalid cluster id in " + event.type());
        }
        triggers.request(event.clusterId());
    }
}
