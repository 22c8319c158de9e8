package dev.lifeboat.verifier.verification;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Stage;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.VerificationDocuments;
import dev.lifeboat.verifier.claim.Claim;
import dev.lifeboat.verifier.claim.VerificationClaims;
import dev.lifeboat.verifier.config.ExpectationsResolver;
import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.download.ScratchSpace;
import dev.lifeboat.verifier.drill.DrillSetup;
import dev.lifeboat.verifier.drill.RestoreDrill;

/**
 * Comes to the verdict on one snapshot, once, whichever replica and whichever delivery (event or
 * catch-up sweep) asks:
 * <ol>
 *   <li>a verdict already recorded in the store ({@code verification.json} or
 *       {@code verification-failed.json}) is the answer: republished, never decided again;</li>
 *   <li>otherwise the snapshot is claimed ({@link VerificationClaims}); a live claim of another
 *       replica means that replica decides and publishes;</li>
 *   <li>the checks run ({@link SnapshotChecks}) and the verdict is recorded (a conditional
 *       create: the first recorded verdict stands) before it is returned for publishing, so a
 *       redelivery after a crash republishes it.</li>
 * </ol>
 * An unreachable store is waited for within the outage budget ({@link StoreOutageRetry}); past it
 * the answer is a STORE_UNAVAILABLE warning that is not recorded, so the snapshot stays without a
 * verdict and the catch-up sweep takes it again.
 */
@ApplicationScoped
public class SnapshotVerification {
    private static final Logger LOG = Logger.getLogger(SnapshotVerification.class);

    private final Regions regions;
    private final SnapshotChecks checks;
    private final VerificationClaims claims;
    private final StoreOutageRetry storeRetry;
    private final InFlightSnapshots inFlight = new InFlightSnapshots();

    @Inject
    public SnapshotVerification(Regions regions, RestoreDrill drill, VerifierConfig config, DrillSetup setup, Clock clock) {
        this(regions, drill, config, setup.workDir(), new VerificationClaims(config.instanceId()
                .orElseGet(VerificationClaims::defaultOwner), config.claim().ttl(), clock));
    }

    /** A verification with its own scratch directory and claims: one replica of the verifier. */
    public SnapshotVerification(Regions regions, RestoreDrill drill, VerifierConfig config, Path workDir,
                                VerificationClaims claims) {
        this.regions = regions;
        this.claims = claims;
        OptionalLong limit = config.scratchLimitBytes().map(OptionalLong::of).orElse(OptionalLong.empty());
        this.checks = new SnapshotChecks(drill, new ExpectationsResolver(config), config.sampleSize(),
                workDir.resolve("downloads"), new ScratchSpace(workDir, limit));
        this.storeRetry = new StoreOutageRetry(config.store().outageBudget(),
                new Backoff(config.store().retryDelay(), config.store().maxRetryDelay()));
    }

    /** Verifications waiting for an unreachable object store right now (they hold their records unacknowledged). */
    public int waitingForStore() {
        return storeRetry.waiting();
    }

    /** The verdict on the snapshot {@code taken} names; the caller publishes it. */
    public Verdict verify(SnapshotTaken taken) throws InterruptedException {
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        String region = taken.region() == null ? regions.primaryName() : taken.region();
        if (!regions.has(region)) {
            return failed(taken, region, Stage.VERIFY, FailureReason.UNKNOWN_REGION, "snapshot is in region " + region
                    + ", which this verifier has no configuration for", 1);
        }
        if (!inFlight.claim(clusterId, snapshotId)) {
            return new Verdict.ElsewhereInProgress(clusterId, snapshotId, claims.owner());
        }
        try {
            ObjectStore store = regions.get(region);
            Decision[] decided = new Decision[1];
            try {
                return storeRetry.call("verification of " + clusterId + "/" + snapshotId,
                        () -> decide(taken, store, decided));
            } catch (StoreOutageRetry.OutageOutlasted e) {
                return failed(taken, region, Stage.VERIFY, FailureReason.STORE_UNAVAILABLE, e.getMessage()
                        + " (for " + e.tries() + " tries; no verdict recorded, the catch-up sweep verifies it later)",
                        e.tries());
            }
        } finally {
            inFlight.release(clusterId, snapshotId);
        }
    }

    /** A verdict not yet recorded, and whether it is final enough to record. */
    private record Decision(Verdict verdict, boolean recordable) {}

    private Verdict decide(SnapshotTaken taken, ObjectStore store, Decision[] decided) throws InterruptedException {
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        Optional<Verdict> recorded = recorded(store, clusterId, snapshotId);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        Optional<Claim> claim = claims.tryClaim(store, clusterId, snapshotId);
        if (claim.isEmpty()) {
            return new Verdict.ElsewhereInProgress(clusterId, snapshotId,
                    claims.liveHolder(store, clusterId, snapshotId).map(c -> c.owner()).orElse("another replica"));
        }
        try (Claim held = claim.get()) {
            if (decided[0] == null) {
                decided[0] = check(taken, store);
            }
            Decision decision = decided[0];
            if (!decision.recordable()) {
                return decision.verdict();
            }
            return recordFirst(store, clusterId, snapshotId, decision.verdict());
        }
    }

    private Decision check(SnapshotTaken taken, ObjectStore store) throws InterruptedException {
        String region = store.regionName();
        try {
            return new Decision(new Verdict.Verified(checks.run(taken, store), false), true);
        } catch (VerificationFailure f) {
            return new Decision(failed(taken, region, f.stage(), f.reason(), f.getMessage(), 1), !f.retriable());
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // a bug must become a failure event, not a consumer stuck redelivering the same record
            LOG.errorf(e, "verification of %s/%s failed unexpectedly", taken.clusterId(), taken.snapshotId());
            return new Decision(failed(taken, region, Stage.VERIFY, FailureReason.INTERNAL, e.toString(), 1), true);
        }
    }

    private static Optional<Verdict> recorded(ObjectStore store, String clusterId, String snapshotId) {
        Optional<Verdict> verified = VerificationDocuments.read(store, clusterId, snapshotId)
                .map(v -> new Verdict.Verified(v, true));
        if (verified.isPresent()) {
            return verified;
        }
        return VerificationDocuments.readFailure(store, clusterId, snapshotId).map(f -> new Verdict.Failed(f, true));
    }

    /**
     * Records the verdict unless one is recorded already, with a conditional create, and returns
     * the verdict that stands: a replica that overlapped (its claim lost while it still drilled)
     * publishes the first recorded verdict, never a second, contradicting one.
     */
    private static Verdict recordFirst(ObjectStore store, String clusterId, String snapshotId, Verdict verdict) {
        Optional<Verdict> earlier = recorded(store, clusterId, snapshotId);
        if (earlier.isPresent()) {
            LOG.warnf("snapshot %s/%s was decided meanwhile by another replica; its recorded verdict stands",
                    clusterId, snapshotId);
            return earlier.get();
        }
        boolean written;
        if (verdict instanceof Verdict.Verified v) {
            written = VerificationDocuments.writeIfAbsent(store, v.report());
        } else if (verdict instanceof Verdict.Failed f) {
            written = VerificationDocuments.writeFailureIfAbsent(store, f.failure());
        } else {
            return verdict;
        }
        // not written: recorded by someone else first (or our own retried write): what is recorded stands
        return written ? verdict : recorded(store, clusterId, snapshotId).orElse(verdict);
    }

    private static Verdict.Failed failed(SnapshotTaken taken, String region, Stage stage, FailureReason reason,
                                         String message, int attempt) {
        return new Verdict.Failed(BackupFailed.of(taken.clusterId(), taken.snapshotId(), stage, reason, message, region,
                attempt), false);
    }

    @PreDestroy
    void stop() {
        claims.close();
    }
}
