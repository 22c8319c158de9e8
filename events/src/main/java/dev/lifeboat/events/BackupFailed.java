package dev.lifeboat.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Something in the pipeline broke. An operator who reads only {@link Topics#FAILURES} knows what
 * broke and where: cluster, snapshot (if any), stage, a stable reason code and a human message.
 *
 * @param region   the region involved, where one is
 * @param attempt  1 for the first attempt, counting up on retries
 * @param resolved true when a condition that was raised earlier (e.g. STALE_BACKUP) has cleared
 */
public record BackupFailed(
        String id,
        String clusterId,
        String snapshotId,
        Stage stage,
        Severity severity,
        FailureReason reason,
        String message,
        String region,
        Instant time,
        int attempt,
        boolean resolved) implements LifeboatEvent {

    /** A failure now; its severity comes from {@link Severities}. */
    public static BackupFailed of(String clusterId, String snapshotId, Stage stage, FailureReason reason,
                                  String message, String region, int attempt) {
        return of(clusterId, snapshotId, stage, reason, message, region, Instant.now(), attempt);
    }

    public static BackupFailed of(String clusterId, String snapshotId, Stage stage, FailureReason reason,
                                  String message, String region, Instant at, int attempt) {
        return new BackupFailed(UUID.randomUUID().toString(), clusterId, snapshotId, stage,
                Severities.of(stage, reason), reason, message, region, at, attempt, false);
    }

    /** A condition raised earlier (e.g. STALE_BACKUP) has cleared, after {@code attempts} reports of it. */
    public static BackupFailed resolved(String clusterId, Stage stage, FailureReason reason, String message,
                                        String region, Instant at, int attempts) {
        return new BackupFailed(UUID.randomUUID().toString(), clusterId, null, stage, Severities.of(stage, reason),
                reason, message, region, at, attempts, true);
    }

    @Override public String type() { return EventTypes.BACKUP_FAILED; }
    @Override public String topic() { return Topics.FAILURES; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return id; }
}
