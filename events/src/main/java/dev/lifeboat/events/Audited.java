package dev.lifeboat.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A mutating API call that was carried out, on {@link Topics#AUDIT}: who made it, what it did to
 * which cluster, and the registration before and after.
 *
 * @param actor     the caller: the token's subject ({@code anonymous (insecure mode)} without one)
 * @param action    what was done, one of the {@code ACTION_*} constants
 * @param before    the registration before the call (null: there was none)
 * @param after     the registration after the call (null: there is none, or it did not change it)
 * @param weakening what the call weakens (deregistration, schedule disabled, retention shrunk);
 *                  each also raised a WARNING on {@link Topics#FAILURES}
 * @param intended  for a deregistration: the admin said the cluster's backups may stop
 *                  (the freshness watchdog then stops watching it)
 * @param snapshotId the snapshot an on-demand request started, where there is one
 */
public record Audited(
        String id,
        String clusterId,
        String actor,
        String action,
        ClusterSpec before,
        ClusterSpec after,
        List<String> weakening,
        boolean intended,
        String snapshotId,
        Instant time) implements LifeboatEvent {

    public static final String ACTION_REGISTER = "cluster.register";
    public static final String ACTION_UPDATE = "cluster.update";
    public static final String ACTION_DEREGISTER = "cluster.deregister";
    public static final String ACTION_SNAPSHOT = "snapshot.request";

    public Audited {
        weakening = weakening == null ? List.of() : List.copyOf(weakening);
    }

    public static Audited of(String clusterId, String actor, String action, ClusterSpec before, ClusterSpec after,
                             List<String> weakening, boolean intended, String snapshotId) {
        return new Audited(UUID.randomUUID().toString(), clusterId, actor, action, before, after, weakening,
                intended, snapshotId, Instant.now());
    }

    @Override public String type() { return EventTypes.AUDIT; }
    @Override public String topic() { return Topics.AUDIT; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return id; }
}
