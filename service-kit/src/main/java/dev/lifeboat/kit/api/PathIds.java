package dev.lifeboat.kit.api;

import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;

/** Checks of the ids in a request path or query, each answered 400 naming the parameter when wrong. */
public final class PathIds {
    public static final String CLUSTER_ID_RULE = "must be a DNS-1123 label: lowercase letters, digits and '-', "
            + "starting and ending with a letter or digit, at most 63 characters";
    public static final String SNAPSHOT_ID_RULE = "must be a snapshot id such as 20261121T044649Z-3f9a1c2e";

    private PathIds() {}

    public static String clusterId(String clusterId) {
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            throw Problem.badRequest("clusterId", CLUSTER_ID_RULE);
        }
        return clusterId;
    }

    public static String snapshotId(String snapshotId) {
        if (!SnapshotIds.isValidSnapshotId(snapshotId)) {
            throw Problem.badRequest("snapshotId", SNAPSHOT_ID_RULE);
        }
        return snapshotId;
    }

    /** The region a request names: blank means the primary, an unconfigured one is a 400. */
    public static String region(String region, Regions regions) {
        if (region == null || region.isBlank()) {
            return regions.primaryName();
        }
        if (!regions.has(region)) {
            throw Problem.badRequest("region", "unknown region '" + region + "'; configured regions: "
                    + regions.names());
        }
        return region;
    }
}
