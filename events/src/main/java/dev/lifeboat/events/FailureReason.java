package dev.lifeboat.events;

/** Stable, machine-readable reason codes of {@link BackupFailed}. Alert routing keys on these. */
public enum FailureReason {
    /** No endpoint of the cluster answered. */
    ETCD_UNREACHABLE,
    /**
     * The cluster answered but no member that answered is its current leader (none has one, the
     * leader did not answer or is not registered, or the one that says it leads was deposed), so
     * no snapshot is taken: a follower's could lag.
     */
    NO_LEADER,
    /** etcd refused or broke the snapshot stream. */
    SNAPSHOT_STREAM_FAILED,
    /** TLS files of the cluster are missing or unreadable. */
    TLS_CONFIG_INVALID,
    /** A checksum does not match: the trailer, the manifest or a copy. */
    HASH_MISMATCH,
    /** The snapshot is shorter than its own structure says, or breaks the size rule. */
    TRUNCATED,
    /** The bbolt database inside the snapshot is not valid. */
    CORRUPT_DB,
    /** The snapshot is valid but its content breaks a configured expectation. */
    CONTENT_EXPECTATION,
    /** etcdctl snapshot restore or the scratch etcd failed, or read back different data. */
    RESTORE_FAILED,
    /** The restore drill took longer than its limit. */
    RESTORE_TIMEOUT,
    /**
     * The verifier's local scratch disk cannot hold the snapshot and its restored copy (too small
     * for it even alone, or full): a problem of the verifier's disk, not of the snapshot or the store.
     */
    SCRATCH_SPACE,
    /** The object store could not be reached or refused a request. */
    STORE_UNAVAILABLE,
    /** A snapshot named by an event is not (or no longer) in the object store. */
    SOURCE_MISSING,
    /**
     * A snapshot's {@code manifest.json} is listed but cannot be read (empty, truncated, not JSON,
     * incompatible, or listed yet answered as missing). A problem of that one snapshot: the others
     * of the cluster are unaffected, and nothing of it is deleted until the manifest is readable.
     */
    MANIFEST_UNREADABLE,
    /**
     * A snapshot's {@code manifest.json} is listed, but reading it failed after the store's retries
     * (a dropped connection, a timeout, a server error) while the store itself answers. Like
     * {@link #MANIFEST_UNREADABLE} a problem of that one snapshot, which nothing deletes meanwhile;
     * unlike it, transient: the next run reads it again.
     */
    MANIFEST_UNAVAILABLE,
    /** A replicated copy does not match the manifest. */
    CHECKSUM_MISMATCH,
    /** A cluster names a region to replicate to that is not configured. */
    UNKNOWN_REGION,
    /** The retention policy would delete every snapshot of a cluster; nothing was deleted. */
    POLICY_WOULD_DELETE_ALL,
    /** The newest verified snapshot is older than the cluster's recovery point objective. */
    STALE_BACKUP,
    /** The snapshot was taken but did not finish within its time limit. */
    TIMEOUT,
    /** etcd kept the snapshot stream open but sent no bytes for the stall timeout. */
    SNAPSHOT_STALLED,
    /**
     * A scheduled snapshot was not started: the cluster's previous snapshot was still running, or the
     * fire was missed (no owner, service down) and a later fire, taken late, supersedes it (WARNING).
     */
    SNAPSHOT_SKIPPED,
    /** A snapshot waited for a free worker longer than its limit and was not taken (WARNING). */
    QUEUED_TOO_LONG,
    /** The service stopped (a planned shutdown) before the snapshot finished; nothing was stored (WARNING). */
    SERVICE_STOPPING,
    /**
     * An on-demand snapshot was accepted (202) but the replica taking it died (killed, crashed, its
     * node lost) before it ended; nothing was stored. Reported by the cluster's next owner (WARNING).
     */
    SNAPSHOT_ABANDONED,
    /** An admin deregistered a cluster that still has snapshots (WARNING, stage REGISTRY). */
    CLUSTER_DEREGISTERED,
    /** An admin removed a cluster's schedule: it is backed up on demand only (WARNING, stage REGISTRY). */
    SCHEDULE_DISABLED,
    /** An admin shrank a cluster's retention: older snapshots may be pruned (WARNING, stage REGISTRY). */
    RETENTION_SHRUNK,
    /**
     * A record on the registry topic that breaks the registration rules (written around the REST
     * API): not applied, the cluster keeps what it had (CRITICAL, stage REGISTRY).
     */
    INVALID_REGISTRATION,
    /** An unexpected error; the message says more. */
    INTERNAL
}
