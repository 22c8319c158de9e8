package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.Events;
import dev.lifeboat.verifier.verification.SnapshotVerification;

/**
 * Verifies every snapshot named on {@code lifeboat.snapshots.taken} and publishes the verdict:
 * {@code snapshot.verified} or a {@code backup.failed}. The record is acknowledged only after the
 * verdict is recorded in the store and on Kafka, so a crash mid-verification redelivers it. A
 * record that is not a {@code SnapshotTaken} with valid ids goes to the dead-letter topic at once.
 */
@ApplicationScoped
public class SnapshotTakenConsumer {
    /** The incoming channel, named by its topic: {@code mp.messaging.incoming."lifeboat.snapshots.taken".*}. */
    public static final String CHANNEL = Topics.SNAPSHOTS_TAKEN;

    private final SnapshotVerification verification;
    private final VerdictAnnouncer announcer;

    public SnapshotTakenConsumer(SnapshotVerification verification, VerdictAnnouncer announcer) {
        this.verification = verification;
        this.announcer = announcer;
    }

    // Verifications of different snapshots run side by side on their own pool; the drill's own
    // limit bounds how many scratch etcd processes run at once, the scratch space how many downloads.
    @Incoming(CHANNEL)
    @Blocking(value = "verifications", ordered = false)
    public void onSnapshotTaken(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        // not a SnapshotTaken with valid ids: the failure strategy parks it on the dead-letter topic
        onSnapshotTaken(Events.decode(record, SnapshotTaken.class));
    }

    /** The handler of a decoded event. */
    public void onSnapshotTaken(SnapshotTaken taken) throws InterruptedException {
        long began = System.nanoTime();
        announcer.announce(verification.verify(taken), began);
    }
}
