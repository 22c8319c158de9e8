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

    public static BackupFailed of(String clusterId, String snapshotId, Stage stage, Severity severity,
                                  FailureReason reason, String message, String region, int attempt) {
        return new BackupFailed(UUID.randomUUID().toString(), clusterId, snapshotId, stage, severity, reason,
                message, region, Instant.now(), attempt, false);
    }

    @Override public String type() { return EventTypes.BACKUP_FAILED; }
    @Override public String topic() { return Topics.FAILURES; }
    @Override public String subject() { return snapshotId; }
    @Override public String eventId() { return id; }
}
