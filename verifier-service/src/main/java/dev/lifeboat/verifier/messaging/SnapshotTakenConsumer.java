package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.verifier.service.SnapshotVerifier;
import dev.lifeboat.verifier.service.VerificationOutcome;
import dev.lifeboat.verifier.service.VerifierMetrics;

/**
 * Verifies every snapshot named on {@code lifeboat.snapshots.taken} and publishes the verdict:
 * {@code snapshot.verified} or a {@code backup.failed}. The record is acknowledged only after the
 * verdict is on Kafka, so a crash mid-verification redelivers it.
 */
@ApplicationScoped
public class SnapshotTakenConsumer {
    /** The incoming channel, configured under {@code mp.messaging.incoming.snapshots-taken.*}. */
    public static final String CHANNEL = "snapshots-taken";

    private static final Logger LOG = Logger.getLogger(SnapshotTakenConsumer.class);

    private final SnapshotVerifier verifier;
    private final EventPublisher publisher;
    private final DeadLetters deadLetters;
    private final VerifierMetrics metrics;

    public SnapshotTakenConsumer(SnapshotVerifier verifier, EventPublisher publisher, DeadLetters deadLetters,
                                 VerifierMetrics metrics) {
        this.verifier = verifier;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    // Verifications of different snapshots run side by side on their own pool; the drill's own
    // limit bounds how many scratch etcd processes run at once.
    @Incoming(CHANNEL)
    @Blocking(value = "verifications", ordered = false)
    public void onSnapshotTaken(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        SnapshotTaken taken;
        try {
            taken = CloudEventCodec.decode(record, SnapshotTaken.class);
            SnapshotIds.requireClusterId(taken.clusterId());
            SnapshotIds.requireSnapshotId(taken.snapshotId());
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warnf("parking record %s-%d@%d on the dead-letter topic: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            deadLetters.park(record, e.getMessage());
            return;
        }
        long began = System.nanoTime();
        VerificationOutcome outcome = verifier.verify(taken);
        if (outcome instanceof VerificationOutcome.Verified v) {
            publisher.publish(v.report());
            metrics.verified(v.report(), v.alreadyStored(), System.nanoTime() - began);
            LOG.infof("snapshot %s/%s verified%s", taken.clusterId(), taken.snapshotId(),
                    v.alreadyStored() ? " (stored result re-published)" : "");
        } else if (outcome instanceof VerificationOutcome.Failed f) {
            publisher.publish(f.failure());
            metrics.failed(f.failure(), System.nanoTime() - began);
            LOG.warnf("snapshot %s/%s failed %s: %s %s", taken.clusterId(), taken.snapshotId(),
                    f.failure().stage(), f.failure().reason(), f.failure().message());
        } else if (outcome instanceof VerificationOutcome.AlreadyInProgress p) {
            LOG.infof("snapshot %s/%s is being verified already; this delivery adds nothing",
                    p.clusterId(), p.snapshotId());
        }
    }
}
