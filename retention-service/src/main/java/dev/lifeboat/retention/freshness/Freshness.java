package dev.lifeboat.retention.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether one cluster's backups in one region are fresh enough.
 *
 * @param stale  the newest verified snapshot is older than the RPO, or there is none although
 *               the first one is overdue
 * @param detail one line for the failure message
 */
public record Freshness(boolean stale, String detail) {

    /**
     * @param newestVerified   time of the newest verified snapshot in the region, if any
     * @param firstBackupDue   when the first verified snapshot was due (only used when there is none)
     * @param firstBackupGrace how long after its due time the first snapshot may take to be verified
     */
    public static Freshness judge(Optional<Instant> newestVerified, Duration rpo, Optional<Instant> firstBackupDue,
                                  Duration firstBackupGrace, Instant now) {
        if (newestVerified.isPresent()) {
            Duration age = Duration.between(newestVerified.get(), now);
            return age.compareTo(rpo) > 0
                    ? new Freshness(true, "newest verified snapshot is " + human(age) + " old, RPO is " + human(rpo))
                    : new Freshness(false, "newest verified snapshot is " + human(age) + " old");
        }
        if (firstBackupDue.isPresent() && now.isAfter(firstBackupDue.get().plus(firstBackupGrace))) {
            return new Freshness(true, "no verified snapshot at all; the first was due at " + firstBackupDue.get());
        }
        return new Freshness(false, "no verified snapshot yet; the first is not due");
    }

    private static String human(Duration d) {
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        if (hours == 0) {
            return minutes + " min";
        }
        return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }
}
