package dev.lifeboat.snapshot.taking;

/** A snapshot of the cluster is already running; answered with 409. */
public class SnapshotInProgressException extends RuntimeException {
    private final String runningSnapshotId;

    public SnapshotInProgressException(String clusterId, String runningSnapshotId) {
        super("a snapshot of cluster " + clusterId + " is already running: " + runningSnapshotId);
        this.runningSnapshotId = runningSnapshotId;
    }

    public String runningSnapshotId() {
        return runningSnapshotId;
    }
}
