package dev.lifeboat.verifier.service;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.common.retry.Retry;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Stage;
import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.VerificationDocuments;
import dev.lifeboat.verifier.config.ExpectationsResolver;
import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.drill.DrillExpectation;
import dev.lifeboat.verifier.drill.DrillFailedException;
import dev.lifeboat.verifier.drill.DrillReport;
import dev.lifeboat.verifier.drill.RestoreDrill;
import dev.lifeboat.verifier.expectation.ContentExpectations;
import dev.lifeboat.inspect.CorruptSnapshotException;
import dev.lifeboat.inspect.SnapshotInspection;
import dev.lifeboat.inspect.SnapshotInspector;
import dev.lifeboat.verifier.store.DownloadedSnapshot;
import dev.lifeboat.verifier.store.SnapshotDownloader;

/**
 * Verifies one snapshot: integrity of the object against its manifest, structure and status of
 * the bbolt database, content expectations, and a restore drill; then stores
 * {@code verification.json} beside the snapshot. A snapshot already verified is answered from its
 * stored report, so redeliveries never run a second drill.
 */
@ApplicationScoped
public class SnapshotVerifier {
    private static final Logger LOG = Logger.getLogger(SnapshotVerifier.class);

    private final Regions regions;
    private final RestoreDrill drill;
    private final ExpectationsResolver expectations;
    private final int sampleSize;
    private final Path downloads;
    private final Retry<StoreException> storeRetry;
    private final InFlightSnapshots inFlight = new InFlightSnapshots();

    public SnapshotVerifier(Regions regions, RestoreDrill drill, VerifierConfig config, DrillSetup setup) {
        this.regions = regions;
        this.drill = drill;
        this.expectations = new ExpectationsResolver(config);
        this.sampleSize = config.sampleSize();
        this.downloads = setup.workDir().resolve("downloads");
        int attempts = Math.max(1, config.store().attempts());
        Duration delay = config.store().retryDelay();
        // doubling after each attempt, as many times as there are attempts
        this.storeRetry = Retry.of(attempts, new Backoff(delay, delay.multipliedBy(1L << Math.min(attempts, 20))),
                StoreException.class);
    }

    /**
     * Checks the snapshot the event names; the caller publishes the outcome. An unreachable store
     * is retried a few times (an outage of seconds must not leave a snapshot unverified for good)
     * before it becomes a STORE_UNAVAILABLE failure.
     */
    public VerificationOutcome verify(SnapshotTaken taken) throws InterruptedException {
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        String region = taken.region() == null ? regions.primaryName() : taken.region();
        if (!inFlight.claim(clusterId, snapshotId)) {
            return new VerificationOutcome.AlreadyInProgress(clusterId, snapshotId);
        }
        try {
            try {
                return storeRetry.call(attempt -> verifyOnce(taken, region),
                        (attempt, e, wait) -> LOG.warnf("attempt %d to verify %s/%s: %s; retrying in %s", attempt,
                                clusterId, snapshotId, e.getMessage(), wait));
            } catch (StoreException e) {
                return failed(taken, region, Stage.VERIFY, FailureReason.STORE_UNAVAILABLE, e.getMessage(),
                        storeRetry.attempts());
            }
        } finally {
            inFlight.release(clusterId, snapshotId);
        }
    }

    private VerificationOutcome verifyOnce(SnapshotTaken taken, String region) throws InterruptedException {
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        try {
            if (!regions.has(region)) {
                throw new VerificationFailure(Stage.VERIFY, FailureReason.UNKNOWN_REGION,
                        "snapshot is in region " + region + ", which this verifier has no configuration for");
            }
            ObjectStore store = regions.get(region);
            var stored = VerificationDocuments.read(store, clusterId, snapshotId);
            if (stored.isPresent()) {
                return new VerificationOutcome.Verified(stored.get(), true);
            }
            return new VerificationOutcome.Verified(verifyNow(taken, store), false);
        } catch (VerificationFailure f) {
            return failed(taken, region, f.stage(), f.reason(), f.getMessage(), 1);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // a bug must become a failure event, not a consumer stuck redelivering the same record
            LOG.errorf(e, "verification of %s/%s failed unexpectedly", clusterId, snapshotId);
            return failed(taken, region, Stage.VERIFY, FailureReason.INTERNAL, e.toString(), 1);
        }
    }

    private SnapshotVerified verifyNow(SnapshotTaken taken, ObjectStore store)
            throws VerificationFailure, InterruptedException {
        long began = System.nanoTime();
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        SnapshotManifest manifest = manifest(store, clusterId, snapshotId);
        DownloadedSnapshot snapshot = download(store, manifest);
        try {
            checkIntegrity(snapshot, manifest, taken);
            SnapshotInspection inspection = inspect(snapshot.file());
            ContentExpectations expected = expectations.forCluster(clusterId);
            DrillReport report = drill(snapshot.file(),
                    DrillExpectation.of(inspection, expected.requiredKeys()).withKvHash(manifest.kvHash()));
            OptionalLong previous = VerificationDocuments.previousLiveKeys(store, clusterId, snapshotId);
            List<String> violations = expected.violations(inspection.liveKeys(), previous, report.absentKeys());
            if (!violations.isEmpty()) {
                throw new VerificationFailure(Stage.VERIFY, FailureReason.CONTENT_EXPECTATION, String.join("; ", violations));
            }
            SnapshotVerified verified = new SnapshotVerified(clusterId, snapshotId, store.regionName(),
                    snapshot.sha256(), InspectionEvents.status(inspection.status()), inspection.liveKeys(), inspection.compactRevision(),
                    inspection.clusterVersion(), inspection.members(), InspectionEvents.content(inspection.content()),
                    report.toEvent(snapshot.millis()), Instant.now(), (System.nanoTime() - began) / 1_000_000);
            // written before the event: a reader of the event can always find the document
            VerificationDocuments.write(store, verified);
            return verified;
        } finally {
            SnapshotDownloader.delete(snapshot.file());
        }
    }

    private static SnapshotManifest manifest(ObjectStore store, String clusterId, String snapshotId)
            throws VerificationFailure {
        try {
            SnapshotManifest manifest = store.getJson(SnapshotLayout.manifestKey(clusterId, snapshotId),
                    SnapshotManifest.class);
            SnapshotLayout.requireObjectName(manifest.objectName());
            SnapshotEncoding.named(manifest.encoding());
            return manifest;
        } catch (MalformedDocumentException | IllegalArgumentException e) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.MANIFEST_UNREADABLE, e.getMessage());
        } catch (ObjectMissingException e) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.SOURCE_MISSING, "manifest.json of the snapshot is "
                    + "not in region " + store.regionName() + ": the snapshot is incomplete or was deleted");
        }
    }

    private DownloadedSnapshot download(ObjectStore store, SnapshotManifest manifest) throws VerificationFailure {
        try {
            return SnapshotDownloader.download(store, manifest, downloads);
        } catch (ObjectMissingException e) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.SOURCE_MISSING, manifest.objectName()
                    + " is not in region " + store.regionName() + " although its manifest is: the snapshot was deleted");
        }
    }

    /** The stored object against the manifest's stored sha256 and size first, then the decoded file against the raw ones. */
    private static void checkIntegrity(DownloadedSnapshot snapshot, SnapshotManifest manifest, SnapshotTaken taken)
            throws VerificationFailure {
        if (snapshot.storedSize() < manifest.storedSizeBytes()) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.TRUNCATED, manifest.objectName() + " has "
                    + snapshot.storedSize() + " bytes, its manifest says " + manifest.storedSizeBytes());
        }
        if (!snapshot.storedSha256().equalsIgnoreCase(manifest.storedSha256())
                || snapshot.storedSize() != manifest.storedSizeBytes()) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.HASH_MISMATCH, "sha256 of " + manifest.objectName()
                    + " is " + snapshot.storedSha256() + " (" + snapshot.storedSize() + " bytes), its manifest says "
                    + manifest.storedSha256() + " (" + manifest.storedSizeBytes() + " bytes)");
        }
        if (snapshot.size() < manifest.sizeBytes()) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.TRUNCATED, "snapshot.db has " + snapshot.size()
                    + " bytes, its manifest says " + manifest.sizeBytes());
        }
        if (!snapshot.sha256().equalsIgnoreCase(manifest.sha256())) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.HASH_MISMATCH, "sha256 of snapshot.db is "
                    + snapshot.sha256() + ", its manifest says " + manifest.sha256());
        }
        if (snapshot.size() != manifest.sizeBytes()) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.HASH_MISMATCH, "snapshot.db has " + snapshot.size()
                    + " bytes, its manifest says " + manifest.sizeBytes());
        }
        if (taken.sha256() != null && !taken.sha256().equalsIgnoreCase(snapshot.sha256())) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.HASH_MISMATCH, "sha256 of snapshot.db is "
                    + snapshot.sha256() + ", the snapshot.taken event says " + taken.sha256());
        }
    }

    private SnapshotInspection inspect(Path file) throws VerificationFailure {
        try {
            return SnapshotInspector.inspect(file, sampleSize);
        } catch (CorruptSnapshotException e) {
            throw new VerificationFailure(Stage.VERIFY, InspectionEvents.reason(e.reason()), e.getMessage());
        }
    }

    private DrillReport drill(Path file, DrillExpectation expected) throws VerificationFailure, InterruptedException {
        try {
            return drill.run(file, expected);
        } catch (DrillFailedException e) {
            throw new VerificationFailure(Stage.RESTORE_TEST, e.reason(), e.getMessage());
        }
    }

    private static VerificationOutcome.Failed failed(SnapshotTaken taken, String region, Stage stage,
                                                     FailureReason reason, String message, int attempt) {
        return new VerificationOutcome.Failed(BackupFailed.of(taken.clusterId(), taken.snapshotId(), stage,
                reason, message, region, attempt));
    }
}
