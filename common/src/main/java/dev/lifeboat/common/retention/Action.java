package dev.lifeboat.common.retention;

/** What a retention run does with one snapshot. */
public enum Action {
    /** At least one rule or invariant keeps it. */
    KEEP,
    /** A complete snapshot no rule keeps: manifest first, then its other objects are deleted. */
    PRUNE,
    /** Objects of a snapshot without manifest, older than the grace period: deleted. */
    REMOVE_LEFTOVER
}
