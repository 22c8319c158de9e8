package dev.lifeboat.verifier.verification;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.SnapshotVerified;

/** What a verification of one snapshot came to. */
public sealed interface Verdict {
    /**
     * Every check passed; {@code recorded} when it was read back from {@code verification.json}
     * (decided earlier, by this replica or another) rather than decided now.
     */
    record Verified(SnapshotVerified report, boolean recorded) implements Verdict {}

    /**
     * A check failed. {@code recorded} when read back from {@code verification-failed.json}. A
     * store outage longer than the budget is a failure too, but is never recorded: it says
     * nothing about the snapshot, so the catch-up sweep verifies the snapshot again later.
     */
    record Failed(BackupFailed failure, boolean recorded) implements Verdict {}

    /**
     * No verdict from this delivery: the snapshot is being verified already, by this replica or by
     * the replica named in {@code holder}, which publishes the verdict. If that replica dies, its
     * claim expires and the catch-up sweep takes the snapshot.
     */
    record ElsewhereInProgress(String clusterId, String snapshotId, String holder) implements Verdict {}
}
