package dev.lifeboat.events;

/** The stage of the backup pipeline a failure happened in. */
public enum Stage {
    SNAPSHOT, VERIFY, RESTORE_TEST, REPLICATE, PRUNE, FRESHNESS,
    /** A change of a cluster's registration that weakens its backups (audited as well). */
    REGISTRY
}
