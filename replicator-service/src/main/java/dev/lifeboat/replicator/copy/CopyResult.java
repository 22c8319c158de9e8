package dev.lifeboat.replicator.copy;

/**
 * A snapshot is complete and checksum-verified in a region.
 *
 * @param bytes           size of the snapshot object
 * @param bytesCopied     bytes written by this attempt (0 when the region already held a good copy)
 * @param sha256          the checksum read back from the region, equal to the manifest's
 * @param durationMillis  time of the copy and its verification
 * @param repaired        a damaged copy was found in the region and replaced
 */
public record CopyResult(long bytes, long bytesCopied, String sha256, long durationMillis, boolean repaired) {
    public boolean alreadyPresent() {
        return bytesCopied == 0;
    }
}
