package dev.lifeboat.events;

/** CloudEvent {@code type} attribute of each event. */
public final class EventTypes {
    public static final String CLUSTER_REGISTERED = "dev.lifeboat.cluster.registered.v1";
    public static final String SNAPSHOT_TAKEN = "dev.lifeboat.snapshot.taken.v1";
    public static final String SNAPSHOT_VERIFIED = "dev.lifeboat.snapshot.verified.v1";
    public static final String SNAPSHOT_REPLICATED = "dev.lifeboat.snapshot.replicated.v1";
    public static final String SNAPSHOT_PRUNED = "dev.lifeboat.snapshot.pruned.v1";
    public static final String BACKUP_FAILED = "dev.lifeboat.backup.failed.v1";
    public static final String AUDIT = "dev.lifeboat.audit.v1";

    private EventTypes() {}
}
