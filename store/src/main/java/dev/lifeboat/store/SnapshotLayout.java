package dev.lifeboat.store;

/**
 * Object keys of the store layout, one bucket per region:
 * <pre>
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/snapshot.db
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/manifest.json      written last: presence = complete
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/verification.json
 * </pre>
 */
public final class SnapshotLayout {
    public static final String ROOT = "clusters/";
    public static final String SNAPSHOT = "snapshot.db";
    public static final String MANIFEST = "manifest.json";
    public static final String VERIFICATION = "verification.json";

    private SnapshotLayout() {}

    public static String clusterPrefix(String clusterId) {
        return ROOT + SnapshotIds.requireClusterId(clusterId) + "/";
    }

    public static String snapshotPrefix(String clusterId, String snapshotId) {
        return clusterPrefix(clusterId) + SnapshotIds.requireSnapshotId(snapshotId) + "/";
    }

    public static String snapshotKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + SNAPSHOT;
    }

    public static String manifestKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + MANIFEST;
    }

    public static String verificationKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + VERIFICATION;
    }
}
