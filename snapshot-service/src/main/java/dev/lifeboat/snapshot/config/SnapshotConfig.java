package dev.lifeboat.snapshot.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lifeboat.snapshot.*}: how snapshots are taken. */
@ConfigMapping(prefix = "lifeboat.snapshot")
public interface SnapshotConfig {
    /** Snapshots that may stream at the same time (across all clusters; one per cluster at most). */
    @WithDefault("4")
    int maxConcurrent();

    /** A snapshot still streaming after this long is abandoned with reason TIMEOUT. */
    @WithDefault("PT30M")
    Duration timeout();

    /** Per-member time limit for connecting and for the health/status call. */
    @WithDefault("PT5S")
    Duration memberTimeout();

    /** How often cron schedules are checked ({@code off} disables the scheduler, as in tests). */
    @WithDefault("5s")
    String schedulerTick();

    /**
     * The longest gap a cluster's schedule may leave between two snapshots; a registration whose
     * schedule fires less often (or never, such as {@code 0 0 31 2 *}) is refused with a 400.
     */
    @WithDefault("P7D")
    Duration maxScheduleInterval();

    /** Memory of the in-flight buffer between etcd's stream and the upload, in KiB. */
    @WithDefault("1024")
    int bufferKib();
}
