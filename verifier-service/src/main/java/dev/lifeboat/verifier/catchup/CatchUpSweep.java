package dev.lifeboat.verifier.catchup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.messaging.VerdictAnnouncer;
import dev.lifeboat.verifier.metrics.VerifierMetrics;
import dev.lifeboat.verifier.verification.SnapshotVerification;

/**
 * Every complete snapshot gets a verdict, even one whose {@code snapshot.taken} was never
 * published (Kafka down at the end of a snapshot, a crash after the manifest) or whose
 * verification gave up on a store outage: every {@code lifeboat.verifier.catch-up.interval} the
 * primary region is listed, and complete snapshots without a recorded verdict whose manifest is
 * older than the grace period are verified as if announced, at most {@code max-per-run} per run,
 * oldest first. The same {@link SnapshotVerification} as the event path decides, so a snapshot
 * whose event arrives as well is still drilled once (recorded verdict, claim).
 */
@ApplicationScoped
public class CatchUpSweep {
    private static final Logger LOG = Logger.getLogger(CatchUpSweep.class);

    private final Regions regions;
    private final SnapshotVerification verification;
    private final VerdictAnnouncer announcer;
    private final VerifierMetrics metrics;
    private final VerifierConfig.CatchUp config;
    private final Clock clock;

    public CatchUpSweep(Regions regions, SnapshotVerification verification, VerdictAnnouncer announcer,
                        VerifierMetrics metrics, VerifierConfig config, Clock clock) {
        this.regions = regions;
        this.verification = verification;
        this.announcer = announcer;
        this.metrics = metrics;
        this.config = config.catchUp();
        this.clock = clock;
    }

    @Scheduled(identity = "verification-catch-up", every = "${lifeboat.verifier.catch-up.interval:PT5M}",
            delayed = "${lifeboat.verifier.catch-up.interval:PT5M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws InterruptedException {
        sweep(clock.instant());
    }

    /**
     * One run as of {@code now}: verifies up to {@code max-per-run} snapshots completed before
     * {@code now - grace}. Returns how many were taken up. A store that cannot be listed skips the run.
     */
    public int sweep(Instant now) throws InterruptedException {
        ObjectStore store = regions.primary();
        List<UnverifiedSnapshots.Candidate> candidates;
        try {
            candidates = UnverifiedSnapshots.in(store, now.minus(config.grace()), config.maxPerRun());
        } catch (StoreException e) {
            LOG.warnf("catch-up sweep skipped: region %s cannot be listed: %s", store.regionName(), e.getMessage());
            return 0;
        }
        int taken = 0;
        for (UnverifiedSnapshots.Candidate c : candidates) {
            SnapshotTaken asIfAnnounced;
            try {
                asIfAnnounced = asAnnounced(store, c);
            } catch (ObjectMissingException | MalformedDocumentException | StoreException e) {
                // deleted meanwhile, or unreadable (retention reports that): not this sweep's verdict
                LOG.debugf("catch-up passes over %s/%s: %s", c.clusterId(), c.snapshotId(), e.getMessage());
                continue;
            }
            LOG.infof("snapshot %s/%s is complete since %s without a verdict: verifying it now", c.clusterId(),
                    c.snapshotId(), c.completedAt());
            metrics.caughtUp();
            long began = System.nanoTime();
            announcer.announce(verification.verify(asIfAnnounced), began);
            taken++;
        }
        return taken;
    }

    /** The {@code snapshot.taken} the snapshot-service would have published, from the manifest. */
    private static SnapshotTaken asAnnounced(ObjectStore store, UnverifiedSnapshots.Candidate c) {
        SnapshotManifest m = store.getJson(SnapshotLayout.manifestKey(c.clusterId(), c.snapshotId()),
                SnapshotManifest.class);
        return new SnapshotTaken(c.clusterId(), c.snapshotId(), store.regionName(),
                SnapshotLayout.snapshotPrefix(c.clusterId(), c.snapshotId()) + m.objectName(),
                m.sizeBytes(), m.sha256(), m.revision(), m.memberId(), m.etcdVersion(), m.trigger(), m.takenAt(),
                m.durationMillis());
    }
}
