package dev.lifeboat.verifier.verification;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Stage;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.verifier.download.DownloadedSnapshot;

/**
 * The downloaded object against what its manifest and event say: the stored bytes against the
 * manifest's stored sha256 and size first, then the decoded file against the raw ones and the
 * event's sha256. Pure: no store, no disk.
 */
final class IntegrityCheck {
    private IntegrityCheck() {}

    /** {@code taken} may carry no sha256 (a snapshot found by the catch-up sweep has no event). */
    static void check(DownloadedSnapshot snapshot, SnapshotManifest manifest, SnapshotTaken taken)
            throws VerificationFailure {
        if (snapshot.storedSize() < manifest.storedSizeBytes()) {
            throw failure(FailureReason.TRUNCATED, manifest.objectName() + " has " + snapshot.storedSize()
                    + " bytes, its manifest says " + manifest.storedSizeBytes());
        }
        if (!snapshot.storedSha256().equalsIgnoreCase(manifest.storedSha256())
                || snapshot.storedSize() != manifest.storedSizeBytes()) {
            throw failure(FailureReason.HASH_MISMATCH, "sha256 of " + manifest.objectName() + " is "
                    + snapshot.storedSha256() + " (" + snapshot.storedSize() + " bytes), its manifest says "
                    + manifest.storedSha256() + " (" + manifest.storedSizeBytes() + " bytes)");
        }
        if (snapshot.size() < manifest.sizeBytes()) {
            throw failure(FailureReason.TRUNCATED, "snapshot.db has " + snapshot.size() + " bytes, its manifest says "
                    + manifest.sizeBytes());
        }
        if (!snapshot.sha256().equalsIgnoreCase(manifest.sha256())) {
            throw failure(FailureReason.HASH_MISMATCH, "sha256 of snapshot.db is " + snapshot.sha256()
                    + ", its manifest says " + manifest.sha256());
        }
        if (snapshot.size() != manifest.sizeBytes()) {
            throw failure(FailureReason.HASH_MISMATCH, "snapshot.db has " + snapshot.size() + " bytes, its manifest says "
                    + manifest.sizeBytes());
        }
        if (taken.sha256() != null && !taken.sha256().equalsIgnoreCase(snapshot.sha256())) {
            throw failure(FailureReason.HASH_MISMATCH, "sha256 of snapshot.db is " + snapshot.sha256()
                    + ", the snapshot.taken event says " + taken.sha256());
        }
    }

    private static VerificationFailure failure(FailureReason reason, String message) {
        return new VerificationFailure(Stage.VERIFY, reason, message);
    }
}
