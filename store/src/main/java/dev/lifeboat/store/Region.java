package dev.lifeboat.store;

import java.nio.file.Path;

/**
 * One region's object store settings. The secret key is never part of {@link #toString()}.
 *
 * @param type          {@code s3} (any S3-compatible store) or {@code memory} (tests, in one JVM)
 * @param signingRegion the S3 region used to sign requests; null: asked from the store once
 * @param caFile        PEM bundle of the CA certificates an {@code https} endpoint is trusted by; null: the
 *                      JVM's default trust
 */
public record Region(String name, String type, String endpoint, String accessKey, String secretKey, String bucket,
                     String signingRegion, CallLimits limits, Path caFile) {
    public static final String S3 = "s3";
    public static final String MEMORY = "memory";

    public Region {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a region needs a name");
        }
        type = type == null ? S3 : type;
        limits = limits == null ? CallLimits.DEFAULT : limits;
    }

    /** An S3-compatible region with default limits, the store asked for its signing region. */
    public static Region s3(String name, String endpoint, String accessKey, String secretKey, String bucket) {
        return new Region(name, S3, endpoint, accessKey, secretKey, bucket, null, CallLimits.DEFAULT, null);
    }

    /** A region held in this JVM's memory. */
    public static Region memory(String name) {
        return new Region(name, MEMORY, null, null, null, name, null, CallLimits.DEFAULT, null);
    }

    public Region withLimits(CallLimits newLimits) {
        return new Region(name, type, endpoint, accessKey, secretKey, bucket, signingRegion, newLimits, caFile);
    }

    /** The same region, its {@code https} endpoint trusted by the CA certificates in {@code pemBundle}. */
    public Region withCaFile(Path pemBundle) {
        return new Region(name, type, endpoint, accessKey, secretKey, bucket, signingRegion, limits, pemBundle);
    }

    @Override
    public String toString() {
        return "Region[" + name + " " + type + (endpoint == null ? "" : " " + endpoint) + "/" + bucket + "]";
    }
}
