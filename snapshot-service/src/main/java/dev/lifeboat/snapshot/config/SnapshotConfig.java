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

    /**
     * The stream's total limit for an empty database; the member's database size at
     * {@link #minThroughputKibPerSecond()} is added. A snapshot still streaming after that is
     * abandoned with reason TIMEOUT.
     */
    @WithDefault("PT30M")
    Duration timeout();

    /** The slowest stream the total limit allows for: one more second per this many KiB of database. */
    @WithDefault("1024")
    long minThroughputKibPerSecond();

    /** etcd sending no snapshot bytes for this long (while the upload keeps up) is SNAPSHOT_STALLED. */
    @WithDefault("PT60S")
    Duration stallTimeout();

    /** The wait for etcd's HashKV at the snapshot's revision (optional; without it the drill skips the check). */
    @WithDefault("PT60S")
    Duration hashKvTimeout();

    /** On a planned stop, how long running snapshots may take to finish before they are cut short (SERVICE_STOPPING). */
    @WithDefault("PT20S")
    Duration shutdownGrace();

    /** A snapshot that waited this long for a free worker is not taken: QUEUED_TOO_LONG. */
    @WithDefault("PT10M")
    Duration maxQueueTime();

    /** Endpoints asked for their status at the same time, across all clusters: the probe's fixed thread budget. */
    @WithDefault("8")
    int probeThreads();

    /** Endpoints of one cluster asked at the same time, so a few clusters with dead endpoints cannot take every prober. */
    @WithDefault("4")
    int probePerCluster();

    /**
     * How often the snapshot's gRPC connection to its member sends a keep-alive ping when no frame
     * came for that long; a ping not answered within {@link #keepaliveTimeout()} ends the stream as
     * SNAPSHOT_STALLED (the member, or the network to it, went silent).
     */
    @WithDefault("PT10S")
    Duration keepaliveTime();

    /** See {@link #keepaliveTime()}. */
    @WithDefault("PT5S")
    Duration keepaliveTimeout();

    /** Per-member time limit for connecting and for the health/status call. */
    @WithDefault("PT5S")
    Duration memberTimeout();

    /**
     * How long a snapshot waits for the cluster to elect a leader when it looks mid-election (no
     * member that answers has a leader, or the one they name did not answer; an election after a
     * leader died or stepped down takes etcd a few seconds): new probes start for this long after
     * the first such answer, then NO_LEADER.
     */
    @WithDefault("PT15S")
    Duration leaderWait();

    /** How often cron schedules are checked ({@code off} disables the scheduler, as in tests). */
    @WithDefault("5s")
    String schedulerTick();

    /**
     * The longest gap a cluster's schedule may leave between two snapshots; a registration whose
     * schedule fires less often (or never, such as {@code 0 0 31 2 *}) is refused with a 400.
     */
    @WithDefault("P7D")
    Duration maxScheduleInterval();

    /**
     * How far back a replica that just started, or just became a cluster's owner, looks for a fire
     * time that nobody took (the replica was down, the owner died): the cluster's latest fire time
     * within one schedule interval and this window is taken late, if its snapshot is not in the
     * primary region. Zero turns catching up off.
     */
    @WithDefault("PT24H")
    Duration catchUpWindow();

    /**
     * How long a replica waits for the owner of a cluster to answer an on-demand snapshot request
     * it forwarded; then the API answers 503.
     */
    @WithDefault("PT5S")
    Duration requestTimeout();

    /** Memory of the in-flight buffer between etcd's stream and the upload, in KiB. */
    @WithDefault("1024")
    int bufferKib();
}
