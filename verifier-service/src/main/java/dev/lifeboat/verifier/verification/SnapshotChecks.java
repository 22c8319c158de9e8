package dev.lifeboat.verifier.verification;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Stage;
import dev.lifeboat.inspect.CorruptSnapshotException;
import dev.lifeboat.inspect.SnapshotInspection;
import dev.lifeboat.inspect.SnapshotInspector;
import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.VerificationDocuments;
import dev.lifeboat.verifier.config.ExpectationsResolver;
import dev.lifeboat.verifier.download.DownloadedSnapshot;
import dev.lifeboat.verifier.download.ScratchSpace;
import dev.lifeboat.verifier.download.ScratchSpaceException;
import dev.lifeboat.verifier.download.SnapshotDownloader;
import dev.lifeboat.verifier.drill.DrillExpectation;
import dev.lifeboat.verifier.drill.DrillFailedException;
import dev.lifeboat.verifier.drill.DrillReport;
import dev.lifeboat.verifier.drill.RestoreDrill;
import dev.lifeboat.verifier.expectation.ContentExpectations;

/**
 * The checks of one snapshot, in order: manifest, scratch space, download, integrity, bbolt
 * structure and status, restore drill, content expectations. Returns the report or throws the
 * first failure; store outages leave as {@link dev.lifeboat.store.StoreException}. Records nothing.
 */
final class SnapshotChecks {
    private final RestoreDrill drill;
    private final ExpectationsResolver expectations;
    private final int sampleSize;
    private final Path downloads;
    private final ScratchSpace scratch;

    SnapshotChecks(RestoreDrill drill, ExpectationsResolver expectations, int sampleSize, Path downloads,
                   ScratchSpace scratch) {
        this.drill = drill;
        this.expectations = expectations;
        this.sampleSize = sampleSize;
        this.downloads = downloads;
        this.scratch = scratch;
    }

    SnapshotVerified run(SnapshotTaken taken, ObjectStore store) throws InterruptedException {
        long began = System.nanoTime();
        String clusterId = taken.clusterId();
        String snapshotId = taken.snapshotId();
        SnapshotManifest manifest = manifest(store, clusterId, snapshotId);
        try (ScratchSpace.Reservation room = reserve(manifest)) {
            DownloadedSnapshot snapshot = download(store, manifest);
            try {
                IntegrityCheck.check(snapshot, manifest, taken);
                SnapshotInspection inspection = inspect(snapshot.file());
                ContentExpectations expected = expectations.forCluster(clusterId);
                DrillReport report = drill(snapshot.file(),
                        DrillExpectation.of(inspection, expected.requiredKeys()).withKvHash(manifest.kvHash()));
                OptionalLong previous = VerificationDocuments.previousLiveKeys(store, clusterId, snapshotId);
                List<String> violations = expected.violations(inspection.liveKeys(), previous, report.absentKeys());
                if (!violations.isEmpty()) {
                    throw new VerificationFailure(Stage.VERIFY, FailureReason.CONTENT_EXPECTATION,
                            String.join("; ", violations));
                }
                return new SnapshotVerified(clusterId, snapshotId, store.regionName(), snapshot.sha256(),
                        InspectionEvents.status(inspection.status()), inspection.liveKeys(),
                        inspection.compactRevision(), inspection.clusterVersion(), inspection.members(),
                        InspectionEvents.content(inspection.content()), report.toEvent(snapshot.millis()),
                        Instant.now(), (System.nanoTime() - began) / 1_000_000);
            } finally {
                SnapshotDownloader.delete(snapshot.file());
            }
        }
    }

    private static SnapshotManifest manifest(ObjectStore store, String clusterId, String snapshotId) {
        try {
            SnapshotManifest manifest = store.getJson(SnapshotLayout.manifestKey(clusterId, snapshotId),
                    SnapshotManifest.class);
            SnapshotLayout.requireObjectName(manifest.objectName());
            SnapshotEncoding.named(manifest.encoding());
            return manifest;
        } catch (MalformedDocumentException | IllegalArgumentException e) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.MANIFEST_UNREADABLE, e.getMessage());
        } catch (ObjectMissingException e) {
            // no snapshot to record a verdict beside
            throw VerificationFailure.notFinal(Stage.VERIFY, FailureReason.SOURCE_MISSING, "manifest.json of the snapshot "
                    + "is not in region " + store.regionName() + ": the snapshot is incomplete or was deleted");
        }
    }

    private ScratchSpace.Reservation reserve(SnapshotManifest manifest) throws InterruptedException {
        try {
            return scratch.reserve(ScratchSpace.neededFor(manifest.sizeBytes()));
        } catch (ScratchSpaceException e) {
            throw VerificationFailure.notFinal(Stage.VERIFY, FailureReason.SCRATCH_SPACE, e.getMessage());
        }
    }

    private DownloadedSnapshot download(ObjectStore store, SnapshotManifest manifest) {
        try {
            return SnapshotDownloader.download(store, manifest, downloads);
        } catch (ObjectMissingException e) {
            throw new VerificationFailure(Stage.VERIFY, FailureReason.SOURCE_MISSING, manifest.objectName()
                    + " is not in region " + store.regionName() + " although its manifest is: the snapshot was deleted");
        } catch (ScratchSpaceException e) {
            throw VerificationFailure.notFinal(Stage.VERIFY, FailureReason.SCRATCH_SPACE, e.getMessage());
        }
    }

    private SnapshotInspection inspect(Path file) {
        try {
            return SnapshotInspector.inspect(file, sampleSize);
        } catch (CorruptSnapshotException e) {
            throw new VerificationFailure(Stage.VERIFY, InspectionEvents.reason(e.reason()), e.getMessage());
        }
    }

    private DrillReport drill(Path file, DrillExpectation expected) throws InterruptedException {
        try {
            return drill.run(file, expected);
        } catch (DrillFailedException e) {
            if (e.reason() == FailureReason.INTERNAL) {
                // the drill could not run (its ports were taken): no verdict on the snapshot
                throw VerificationFailure.notFinal(Stage.RESTORE_TEST, e.reason(), e.getMessage());
            }
            throw new VerificationFailure(Stage.RESTORE_TEST, e.reason(), e.getMessage());
        }
    }
}
