package dev.lifeboat.retention.pruning;

import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.Stage;
import dev.lifeboat.kit.messaging.EventPublisher;

/** What retention announces: stage PRUNE failures and pruned snapshots; a publish that fails is logged. */
final class RetentionFailures {
    private static final Logger LOG = Logger.getLogger(RetentionFailures.class);

    private final EventPublisher publisher;

    RetentionFailures(EventPublisher publisher) {
        this.publisher = publisher;
    }

    void fail(String clusterId, String snapshotId, FailureReason reason, String message, String region) {
        LOG.warnf("cluster %s: %s %s", clusterId, reason, message);
        publish(BackupFailed.of(clusterId, snapshotId, Stage.PRUNE, reason, message, region, 1));
    }

    void publish(LifeboatEvent event) {
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            LOG.errorf("could not publish %s for cluster %s: %s", event.type(), event.clusterId(), e.getMessage());
        }
    }
}
