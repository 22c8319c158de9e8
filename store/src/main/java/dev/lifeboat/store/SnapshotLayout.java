package dev.lifeboat.store;

import java.util.regex.Pattern;

/**
 * Object keys of the store layout, one bucket per region:
 * <pre>
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/snapshot.db        the manifest's objectName: snapshot.db + encoding suffix
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/manifest.json      written last: presence = complete
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/verification.json  the verifier's passed verdict: presence = verified
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/verification-failed.json  the verifier's failed verdict (a {@code BackupFailed})
 * clusters/&lt;clusterId&gt;/&lt;snapshotId&gt;/verification-claim.json   which verifier replica is verifying it, until when
 * </pre>
 */
public final class SnapshotLayout {
    public static final String ROOT = "clusters/";
    public static final String SNAPSHOT = "snapshot.db";
    public static final String MANIFEST = "manifest.json";
    public static final String VERIFICATION = "verification.json";
    public static final String VERIFICATION_FAILED = "verification-failed.json";
    public static final String VERIFICATION_CLAIM = "verification-claim.json";
    /** snapshot.db, optionally followed by encoding suffixes such as {@code .zst}. */
    private static final Pattern OBJECT_NAME = Pattern.compile("snapshot\\.db(\\.[a-z0-9]{1,16}){0,4}");

    private SnapshotLayout() {}

    public static String clusterPrefix(String clusterId) {
        return ROOT + SnapshotIds.requireClusterId(clusterId) + "/";
    }

    public static String snapshotPrefix(String clusterId, String snapshotId) {
        return clusterPrefix(clusterId) + SnapshotIds.requireSnapshotId(snapshotId) + "/";
    }

    /**
     * The key of the snapshot object the manifest describes (its {@code objectName}). The name is
     * read from the store, so it is checked: only {@code snapshot.db} with encoding suffixes.
     */
    public static String objectKey(SnapshotManifest manifest) {
        return snapshotPrefix(manifest.clusterId(), manifest.snapshotId()) + requireObjectName(manifest.objectName());
    }

    /** The key of the snapshot object a writer with {@code encoding} stores. */
    public static String objectKey(String clusterId, String snapshotId, SnapshotEncoding encoding) {
        return snapshotPrefix(clusterId, snapshotId) + requireObjectName(SNAPSHOT + encoding.suffix());
    }

    /** True for a key that names a snapshot object (any encoding) of the layout. */
    public static boolean isSnapshotObject(String key) {
        return OBJECT_NAME.matcher(key.substring(key.lastIndexOf('/') + 1)).matches();
    }

    public static String requireObjectName(String name) {
        if (name == null || !OBJECT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid snapshot object name " + name
                    + ": expected snapshot.db with optional encoding suffixes");
        }
        return name;
    }

    public static String manifestKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + MANIFEST;
    }

    public static String verificationKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + VERIFICATION;
    }

    public static String verificationFailedKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + VERIFICATION_FAILED;
    }

    public static String verificationClaimKey(String clusterId, String snapshotId) {
        return snapshotPrefix(clusterId, snapshotId) + VERIFICATION_CLAIM;
    }
}
