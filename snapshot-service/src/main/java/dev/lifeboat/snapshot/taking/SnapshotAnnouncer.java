package dev.lifeboat.snapshot.taking;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.common.retry.Retry;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.Severities;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Stage;
import dev.lifeboat.kit.messaging.EventPublishException;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;

/**
 * Turns the end of a snapshot attempt into its event: {@code snapshot.taken} from the manifest,
 * {@code backup.failed} (stage SNAPSHOT) with a reason otherwise. Each is published with a few
 * tries, since Kafka may blink.
 */
@ApplicationScoped
public class SnapshotAnnouncer {
    private static final Logger LOG = Logger.getLogger(SnapshotAnnouncer.class);
    /** Three tries, 1 s and 2 s apart. */
    private static final Retry<EventPublishException> PUBLISH_RETRY = Retry.of(3,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)), EventPublishException.class);

    private final EventPublisher publisher;
    private final String region;

    public SnapshotAnnouncer(EventPublisher publisher, Regions regions) {
        this.publisher = publisher;
        this.region = regions.primaryName();
    }

    public void taken(SnapshotManifest m, Trigger trigger, Duration took) {
        publish(new SnapshotTaken(m.clusterId(), m.snapshotId(), region, SnapshotLayout.objectKey(m), m.sizeBytes(),
                m.sha256(), m.revision(), m.memberId(), m.etcdVersion(), trigger.name(), m.takenAt(), took.toMillis()));
    }

    /** True once published; false when every try failed (logged). */
    public boolean failed(String clusterId, String snapshotId, FailureReason reason, String message) {
        return publish(BackupFailed.of(clusterId, snapshotId, Stage.SNAPSHOT, reason, message, region, 1));
    }

    /**
     * A scheduled fire that nobody took and that a later fire superseded: SNAPSHOT_SKIPPED under the
     * fire's own snapshot id, with an event id derived from it, so naming the fire again (after
     * another restart) is the same event, which consumers drop as a duplicate.
     */
    public void superseded(String clusterId, String fireSnapshotId, String message) {
        failedOnce("superseded", clusterId, fireSnapshotId, FailureReason.SNAPSHOT_SKIPPED, message);
    }

    /**
     * An accepted on-demand snapshot whose replica died before it ended: SNAPSHOT_ABANDONED with an
     * event id derived from the snapshot id, so reporting it again is the same event.
     */
    public boolean abandoned(String clusterId, String snapshotId, String message) {
        return failedOnce("abandoned", clusterId, snapshotId, FailureReason.SNAPSHOT_ABANDONED, message);
    }

    private boolean failedOnce(String kind, String clusterId, String snapshotId, FailureReason reason, String message) {
        String id = UUID.nameUUIDFromBytes((kind + "/" + clusterId + "/" + snapshotId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return publish(new BackupFailed(id, clusterId, snapshotId, Stage.SNAPSHOT, Severities.of(Stage.SNAPSHOT, reason),
                reason, message, region, Instant.now(), 1, false));
    }

    /** True once published; false when every try failed (logged). */
    private boolean publish(LifeboatEvent event) {
        try {
            PUBLISH_RETRY.call(attempt -> {
                publisher.publish(event);
                return null;
            }, (attempt, e, wait) -> LOG.warnf("publishing %s for cluster %s failed (attempt %d): %s; again in %s",
                    event.type(), event.clusterId(), attempt, e.getMessage(), wait));
            return true;
        } catch (EventPublishException e) {
            LOG.errorf("could not publish %s for cluster %s after %d attempts: %s", event.type(),
                    event.clusterId(), PUBLISH_RETRY.attempts(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
