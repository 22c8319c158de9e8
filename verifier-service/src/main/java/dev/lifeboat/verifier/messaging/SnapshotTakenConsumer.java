package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.verifier.service.SnapshotVerifier;
import dev.lifeboat.verifier.service.VerificationOutcome;
import dev.lifeboat.verifier.service.VerifierMetrics;

/**
 * Verifies every snapshot named on {@code lifeboat.snapshots.taken} and publishes the verdict:
 * {@code snapshot.verified} or a {@code backup.failed}. The record is acknowledged only after the
 * verdict is on Kafka (retried until Kafka takes it), so a crash mid-verification redelivers it. A
 * record that is not a {@code SnapshotTaken} with valid ids goes to the dead-letter topic at once.
 */
@ApplicationScoped
public class SnapshotTakenConsumer {
    /** The incoming channel, named by its topic: {@code mp.messaging.incoming."lifeboat.snapshots.taken".*}. */
    public static final String CHANNEL = Topics.SNAPSHOTS_TAKEN;

    private static final Logger LOG = Logger.getLogger(SnapshotTakenConsumer.class);

    private final SnapshotVerifier verifier;
    private final EventPublisher publisher;
    private final VerifierMetrics metrics;

    public SnapshotTakenConsumer(SnapshotVerifier verifier, EventPublisher publisher, VerifierMetrics metrics) {
        this.verifier = verifier;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    // Verifications of different snapshots run side by side on their own pool; the drill's own
    // limit bounds how many scratch etcd processes run at once.
    @Incoming(CHANNEL)
    @Blocking(value = "verifications", ordered = false)
    public void onSnapshotTaken(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        // not a SnapshotTaken with valid ids: the failure strategy parks it on the dead-letter topic
        SnapshotTaken taken = Events.decode(record, SnapshotTaken.class);
        long began = System.nanoTime();
        VerificationOutcome outcome = verifier.verify(taken);
        if (outcome instanceof VerificationOutcome.Verified v) {
            publisher.publishUntilAcknowledged(v.report());
            metrics.verified(v.report(), v.alreadyStored(), System.nanoTime() - began);
            LOG.infof("snapshot %s/%s verified%s", taken.clusterId(), taken.snapshotId(),
                    v.alreadyStored() ? " (stored result re-published)" : "");
        } else if (outcome instanceof VerificationOutcome.Failed f) {
            publisher.publishUntilAcknowledged(f.failure());
            metrics.failed(f.failure(), System.nanoTime() - began);
            LOG.warnf("snapshot %s/%s failed %s: %s %s", taken.clusterId(), taken.snapshotId(),
                    f.failure().stage(), f.failure().reason(), f.failure().message());
        } else if (outcome instanceof VerificationOutcome.AlreadyInProgress p) {
            LOG.infof("snapshot %s/%s is being verified already; this delivery adds nothing",
                    p.clusterId(), p.snapshotId());
        }
    }
}
