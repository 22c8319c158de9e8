package dev.lifeboat.snapshot.registry;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.Audited;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.Stage;

/**
 * Every change of the registry and every on-demand snapshot on {@code lifeboat.audit}, and a
 * WARNING on {@code lifeboat.failures} for each change that weakens a cluster's backups. The
 * audit record is published before the change is made: a change Kafka cannot audit is not made.
 */
@ApplicationScoped
public class RegistryAudit {
    private static final Logger LOG = Logger.getLogger(RegistryAudit.class);

    private final EventPublisher publisher;

    public RegistryAudit(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Publishes the audit record; throws when Kafka does not acknowledge it (the call then fails with 503). */
    public void record(Audited audited) {
        publisher.publish(audited);
        LOG.infof("audit: %s %s by %s%s", audited.action(), audited.clusterId(), audited.actor(),
                audited.weakening().isEmpty() ? "" : " (" + String.join("; ", audited.weakening()) + ")");
    }

    /**
     * The audit record of an on-demand snapshot, published once it runs; a Kafka outage here is
     * logged, not answered, since the snapshot itself then fails with its own event.
     */
    public void recordSnapshotRequest(String clusterId, String actor, String snapshotId) {
        try {
            record(Audited.of(clusterId, actor, Audited.ACTION_SNAPSHOT, null, null, List.of(), false, snapshotId));
        } catch (RuntimeException e) {
            LOG.errorf("could not audit the snapshot %s of %s requested by %s: %s", snapshotId, clusterId, actor,
                    e.getMessage());
        }
    }

    /** One WARNING per weakening change that was made. */
    public void warn(String clusterId, String actor, List<ProtectedChanges.Change> changes) {
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
