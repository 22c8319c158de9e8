package dev.lifeboat.events;

/**
 * The one table of how urgent a failure is; {@link BackupFailed#of} takes its severity from here,
 * so every service rates the same failure alike. CRITICAL means a human must act (a backup is
 * missing, damaged or unusable and no retry will fix it); WARNING means the pipeline retries or
 * another signal escalates it.
 */
public final class Severities {
    private Severities() {}

    public static Severity of(Stage stage, FailureReason reason) {
        return switch (reason) {
            // Every stage retries an unavailable store (next cron, redelivery, reconciliation); when
            // the outage starts to cost backups, the freshness watchdog raises STALE_BACKUP (CRITICAL).
            case STORE_UNAVAILABLE -> Severity.WARNING;
            // One manifest's read failed on the network: kept, read again by the next run.
            case MANIFEST_UNAVAILABLE -> Severity.WARNING;
            // Replication of a snapshot that retention already pruned; elsewhere a snapshot has vanished.
            case SOURCE_MISSING, MANIFEST_UNREADABLE -> stage == Stage.REPLICATE ? Severity.WARNING : Severity.CRITICAL;
            // A weakening change of a registration, made by an admin and audited: for someone to look at.
            case CLUSTER_DEREGISTERED, SCHEDULE_DISABLED, RETENTION_SHRUNK -> Severity.WARNING;
            // A fire that was not taken, or not finished, because of the service's own load, a planned
            // stop or a replica that died: the next fire follows; once the gap costs the RPO the
            // watchdog raises STALE_BACKUP.
            case SNAPSHOT_SKIPPED, QUEUED_TOO_LONG, SERVICE_STOPPING, SNAPSHOT_ABANDONED -> Severity.WARNING;
            // Pruning fails safe (nothing deleted) except for a bug.
            default -> stage == Stage.PRUNE && reason != FailureReason.INTERNAL ? Severity.WARNING : Severity.CRITICAL;
        };
    }
}
