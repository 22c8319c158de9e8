package dev.lifeboat.snapshot.requests;

/**
 * "Take a snapshot of this cluster now", sent by the replica that received the REST call to the
 * cluster's owner (keyed by cluster id on the ownership topic).
 *
 * @param requestId  what the answer carries back
 * @param replica    the asking replica (for logs)
 * @param deadline   epoch milliseconds after which nobody waits for the answer: not acted on
 */
public record SnapshotRequest(String requestId, String clusterId, String replica, long deadline) {}
