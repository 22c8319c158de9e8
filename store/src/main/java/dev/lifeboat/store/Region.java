package dev.lifeboat.store;

/**
 * One region's object store settings. The secret key is never part of {@link #toString()}.
 *
 * @param type          {@code s3} (any S3-compatible store) or {@code memory} (tests, in one JVM)
 * @param signingRegion the S3 region used to sign requests; null: asked from the store once
 */
public record Region(String name, String type, String endpoint, String accessKey, String secretKey, String bucket,
                     String signingRegion, CallLimits limits) {
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
        return new Region(name, S3, endpoint, accessKey, secretKey, bucket, null, CallLimits.DEFAULT);
    }

    /** A region held in this JVM's memory. */
    public static Region memory(String name) {
        return new Region(name, MEMORY, null, null, null, name, null, CallLimits.DEFAULT);
    }

    public Region withLimits(CallLimits newLimits) {
        return new Region(name, type, endpoint, accessKey, secretKey, bucket, signingRegion, newLimits);
    }

    @Override
    public String toString() {
        return "Region[" + name + " " + type + (endpoint == null ? "" : " " + endpoint) + "/" + bucket + "]";
    }
}
