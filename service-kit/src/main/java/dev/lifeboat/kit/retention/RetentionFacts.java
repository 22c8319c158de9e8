package dev.lifeboat.kit.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotIds;

/** The retention view of a region's catalog entries, read from the store alone. */
public final class RetentionFacts {
    private RetentionFacts() {}

    /**
     * One fact per entry. A snapshot counts as verified when its id is in {@code verifiedIds}
     * (a verification file for it exists in any region: the copies are checked against the
     * manifest's checksum, so verifying one verifies all). A snapshot whose listed manifest cannot
     * be read is left out: it is neither complete nor a leftover, so no plan can delete it.
     */
    public static List<SnapshotFacts> of(List<CatalogEntry> entries, Set<String> verifiedIds) {
        List<SnapshotFacts> out = new ArrayList<>();
        for (CatalogEntry e : entries) {
            if (e.manifestUnknown()) {
                continue;
            }
            out.add(of(e, e.complete() && verifiedIds.contains(e.snapshotId())));
        }
        return out;
    }

    /** The fact of one entry, verified or not as the caller knows it. */
    public static SnapshotFacts of(CatalogEntry e, boolean verified) {
        return new SnapshotFacts(e.snapshotId(), SnapshotIds.timeOf(e.snapshotId()), e.complete(), verified,
                e.lastModified(), e.bytes());
    }
}
