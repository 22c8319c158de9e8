package dev.lifeboat.verifier.verification;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snapshots being verified right now, so a redelivered event arriving during a verification
 * does not start a second one (and a second drill) of the same snapshot.
 */
public final class InFlightSnapshots {
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /** True if the caller now owns the snapshot's verification and must {@link #release} it. */
    public boolean claim(String clusterId, String snapshotId) {
        return inFlight.add(clusterId + "/" + snapshotId);
    }

    public void release(String clusterId, String snapshotId) {
        inFlight.remove(clusterId + "/" + snapshotId);
    }
}
