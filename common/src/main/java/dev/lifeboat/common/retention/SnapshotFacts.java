package dev.lifeboat.common.retention;

import java.time.Instant;

/**
 * What retention needs to know of one snapshot in one region, read from the store alone.
 *
 * @param takenAt      the time in the snapshot id
 * @param complete     its manifest is present; false = an incomplete leftover
 * @param verified     a verification file exists for it
 * @param lastModified newest modification of any of its objects (for leftovers: still being written?)
 * @param bytes        total size of its objects
 */
public record SnapshotFacts(String snapshotId, Instant takenAt, boolean complete, boolean verified,
                            Instant lastModified, long bytes) {}
