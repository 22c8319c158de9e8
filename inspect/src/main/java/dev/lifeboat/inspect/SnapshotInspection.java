package dev.lifeboat.inspect;

import dev.lifeboat.inspect.content.ContentSummary;
import dev.lifeboat.inspect.status.SnapshotStatus;

import java.util.List;

/**
 * Everything read from one snapshot file.
 *
 * @param status          the four figures {@code etcdctl snapshot status} prints for the file
 * @param liveKeys        keys whose newest revision is not a deletion
 * @param compactRevision the revision the database was compacted at, 0 if never
 * @param clusterVersion  the cluster version stored in bucket {@code cluster}, empty if absent
 * @param members         {@code <hex id> <name> <peerURLs>} of every member in bucket {@code members}
 * @param content         what the live keys hold, as Kubernetes sees it
 * @param sample          live keys spread over the key space, for the restore drill's read-back
 */
public record SnapshotInspection(
        SnapshotStatus status,
        long liveKeys,
        long compactRevision,
        String clusterVersion,
        List<String> members,
        ContentSummary content,
        List<KeyValueSample> sample) {
}
