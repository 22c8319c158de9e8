package dev.lifeboat.snapshot.scheduling;

import java.time.Instant;

import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;

/**
 * The ids of a cluster's scheduled fire: whichever replica takes fire time {@code F} of cluster
 * {@code C} calls the snapshot the same, so "was this fire taken?" is a question to the store.
 * A fire taken late (catch-up after a handover or a restart) has its own id: should the old owner
 * still be writing the on-time one, the two never write the same objects.
 */
public final class FireIds {
    private FireIds() {}

    public static String onTime(String clusterId, Instant fire) {
        return SnapshotIds.derivedSnapshotId(fire, "schedule/" + clusterId + "/" + fire.getEpochSecond());
    }

    public static String late(String clusterId, Instant fire) {
        return SnapshotIds.derivedSnapshotId(fire, "late/" + clusterId + "/" + fire.getEpochSecond());
    }

    /** The key prefix under which every snapshot of this fire (on time or late) is stored. */
    static String prefix(String clusterId, Instant fire) {
        return SnapshotLayout.clusterPrefix(clusterId) + SnapshotIds.timePrefix(fire);
    }
}
