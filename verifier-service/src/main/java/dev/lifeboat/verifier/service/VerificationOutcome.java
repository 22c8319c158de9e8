package dev.lifeboat.verifier.service;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.SnapshotVerified;

/** What became of one {@code snapshot.taken} event. */
public sealed interface VerificationOutcome {
    /** Every check passed; {@code alreadyStored} when the result came from an existing {@code verification.json}. */
    record Verified(SnapshotVerified report, boolean alreadyStored) implements VerificationOutcome {}

    /** A check failed. */
    record Failed(BackupFailed failure) implements VerificationOutcome {}

    /** The same snapshot is being verified by another delivery of the event, which will publish the result. */
    record AlreadyInProgress(String clusterId, String snapshotId) implements VerificationOutcome {}
}
