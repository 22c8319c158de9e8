package dev.lifeboat.verifier.catchup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoredObject;

/**
 * Complete snapshots without a verdict, found from one listing of the store: a
 * {@code manifest.json} but neither {@code verification.json} nor {@code verification-failed.json}.
 * Reads no document; whether one of them is claimed right now is the verification's question.
 */
final class UnverifiedSnapshots {
    private UnverifiedSnapshots() {}

    /** A candidate: its manifest became visible at {@code completedAt}. */
    record Candidate(String clusterId, String snapshotId, Instant completedAt) {}

    /** Oldest first, only those completed before {@code completedBefore}, at most {@code limit}. */
    static List<Candidate> in(ObjectStore store, Instant completedBefore, int limit) {
        Map<String, Instant> manifests = new HashMap<>();
        Map<String, Boolean> decided = new HashMap<>();
        for (StoredObject o : store.list(SnapshotLayout.ROOT)) {
            String[] parts = o.key().substring(SnapshotLayout.ROOT.length()).split("/");
            if (parts.length != 3 || !SnapshotIds.isValidClusterId(parts[0]) || !SnapshotIds.isValidSnapshotId(parts[1])) {
                continue; // not part of the layout
            }
            String snapshot = parts[0] + "/" + parts[1];
            switch (parts[2]) {
                case SnapshotLayout.MANIFEST -> manifests.put(snapshot, o.lastModified());
                case SnapshotLayout.VERIFICATION, SnapshotLayout.VERIFICATION_FAILED -> decided.put(snapshot, true);
                default -> { }
            }
        }
        List<Candidate> out = new ArrayList<>();
        manifests.forEach((snapshot, completedAt) -> {
            if (!decided.containsKey(snapshot) && completedAt.isBefore(completedBefore)) {
                int slash = snapshot.indexOf('/');
                out.add(new Candidate(snapshot.substring(0, slash), snapshot.substring(slash + 1), completedAt));
            }
        });
        out.sort(Comparator.comparing(Candidate::completedAt).thenComparing(Candidate::snapshotId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }
}
