package dev.lifeboat.verifier.verification;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.inspect.Corruption;
import dev.lifeboat.inspect.content.ContentSummary;
import dev.lifeboat.inspect.status.SnapshotStatus;

/** The inspection's own records in the vocabulary of the verification event (the service's edge). */
final class InspectionEvents {
    private InspectionEvents() {
    }

    static SnapshotVerified.Status status(SnapshotStatus s) {
        return new SnapshotVerified.Status(s.hash(), s.revision(), s.totalKeys(), s.totalSize());
    }

    static SnapshotVerified.ContentReport content(ContentSummary c) {
        return new SnapshotVerified.ContentReport(c.kubernetesObjects(), c.objectsByResource(),
                c.objectsByNamespace(), c.namespaces(), c.customResourcesByGroup(), c.encryptedValues(),
                c.encryptedByProvider());
    }

    static FailureReason reason(Corruption corruption) {
        return switch (corruption) {
            case TRUNCATED -> FailureReason.TRUNCATED;
            case HASH_MISMATCH -> FailureReason.HASH_MISMATCH;
            case CORRUPT_DB -> FailureReason.CORRUPT_DB;
        };
    }
}
