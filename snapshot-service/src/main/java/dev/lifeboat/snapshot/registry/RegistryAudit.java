package dev.lifeboat.snapshot.registry;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.Audited;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.Stage;
import dev.lifeboat.kit.api.Problem;

/**
 * Every change of the registry and every on-demand snapshot on {@code lifeboat.audit}, and a
 * WARNING on {@code lifeboat.failures} for each change that weakens a cluster's backups. The
 * audit record is published after the change was acknowledged by Kafka, so an audit record
 * always names a change that was made. When Kafka then refuses the audit record, the change
 * stands: the record goes to the log (at ERROR, in full) and the call is answered 503 saying so.
 */
@ApplicationScoped
public class RegistryAudit {
    private static final Logger LOG = Logger.getLogger(RegistryAudit.class);

    private final EventPublisher publisher;

    public RegistryAudit(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Audits a registry change that was made and raises its warnings.
     *
     * @throws Problem 503 when Kafka did not take the audit record (the change is in effect)
     */
    public void made(Audited audited, List<ProtectedChanges.Change> weakening) {
        boolean published = publish(audited);
        warn(audited.clusterId(), audited.actor(), weakening);
        if (!published) {
            throw Problem.unavailable(audited.action() + " of cluster " + audited.clusterId()
                    + " was made, but Kafka did not take its audit record; the service log holds it");
        }
    }

    private boolean publish(Audited audited) {
        try {
            publisher.publish(audited);
            LOG.infof("audit: %s", summary(audited));
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("AUDIT RECORD NOT PUBLISHED (the change was made): %s; Kafka: %s", summary(audited),
                    e.getMessage());
            return false;
        }
    }

    private static String summary(Audited audited) {
        return audited.action() + " " + audited.clusterId() + " by " + audited.actor()
                + (audited.weakening().isEmpty() ? "" : " (" + String.join("; ", audited.weakening()) + ")");
    }

    /**
     * The audit record of an on-demand snapshot, published once it runs; a Kafka outage here is
     * logged, not answered, since the snapshot itself then fails with its own event.
     */
    public void recordSnapshotRequest(String clusterId, String actor, String snapshotId) {
        publish(Audited.of(clusterId, actor, Audited.ACTION_SNAPSHOT, null, null, List.of(), false, snapshotId));
    }

    /** One WARNING per weakening change that was made. */
    private void warn(String clusterId, String actor, List<ProtectedChanges.Change> changes) {
        for (ProtectedChanges.Change change : changes) {
            BackupFailed warning = BackupFailed.of(clusterId, null, Stage.REGISTRY, change.reason(),
                    actor + " " + change.description() + " of cluster " + clusterId, null, 1);
            try {
                publisher.publish(warning);
            } catch (RuntimeException e) {
                // the change is made and audited; the warning is the alerting copy
                LOG.errorf("could not publish %s for cluster %s: %s", change.reason(), clusterId, e.getMessage());
            }
        }
    }

    public static List<String> descriptions(List<ProtectedChanges.Change> changes) {
        return changes.stream().map(ProtectedChanges.Change::description).toList();
    }

    /** Convenience for callers: the audit record of a registration change. */
    public static Audited change(String clusterId, String actor, ClusterSpec before, ClusterSpec after,
                                 List<ProtectedChanges.Change> weakening, boolean intended) {
        String action = after == null ? Audited.ACTION_DEREGISTER
                : before == null ? Audited.ACTION_REGISTER : Audited.ACTION_UPDATE;
        return Audited.of(clusterId, actor, action, before, after, descriptions(weakening), intended, null);
    }
}
