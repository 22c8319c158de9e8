package dev.lifeboat.common.retention;

/** Names of the rules and invariants that keep a snapshot, as plans and pruned events show them. */
public final class Rules {
    /** Invariant: the newest verified snapshot is never deleted. */
    public static final String NEWEST_VERIFIED = "newest-verified";
    /** Invariant: younger than the grace period (verification or replication may still be running). */
    public static final String GRACE = "grace";
    /** Invariant: a cluster's own policy never prunes what is younger than the configured floor. */
    public static final String FLOOR = "cluster-policy-floor";
    public static final String KEEP_LAST = "keep-last";
    public static final String MAX_AGE = "max-age";
    /** Invariant: the rules would have deleted every complete snapshot, so none is deleted. */
    public static final String DELETE_ALL_GUARD = "delete-all-guard";

    private Rules() {}
}
