package dev.lifeboat.store;

/**
 * One region's S3-compatible object store. The secret key is never part of {@link #toString()}.
 */
public record Region(String name, String endpoint, String accessKey, String secretKey, String bucket) {
    @Override
    public String toString() {
        return "Region[" + name + " " + endpoint + "/" + bucket + "]";
    }
}
