package dev.lifeboat.replicator.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.store.StoreFixtures;

class ReplicationGapTest {
    static final String CLUSTER = "c1";

    static String id(int hour) {
        return String.format("20261121T%02d0000Z-0000000%d", hour, hour % 10);
    }

    static CatalogEntry entry(String snapshotId, boolean manifest, boolean verified, long size, String sha) {
        List<StoredObject> objects = new ArrayList<>();
        objects.add(new StoredObject(SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY), size, Instant.EPOCH));
        if (verified) {
            objects.add(new StoredObject(SnapshotLayout.verificationKey(CLUSTER, snapshotId), 10, Instant.EPOCH));
        }
        SnapshotManifest m = null;
        if (manifest) {
            objects.add(new StoredObject(SnapshotLayout.manifestKey(CLUSTER, snapshotId), 10, Instant.EPOCH));
            m = StoreFixtures.manifest(CLUSTER, snapshotId).storedAsIs(100, sha).build();
        }
        return new CatalogEntry(CLUSTER, snapshotId, m, verified, objects);
    }

    static CatalogEntry good(int hour) {
        return entry(id(hour), true, true, 100, "sha" + hour);
    }

    @Test
    void missingSnapshotsNewestFirstAndBounded() {
        List<CatalogEntry> source = List.of(good(1), good(5), good(3), good(4), good(2));
        List<CatalogEntry> region = List.of(good(3));
        assertThat(ReplicationGap.between(source, region, 10)).containsExactly(id(5), id(4), id(2), id(1));
        assertThat(ReplicationGap.between(source, region, 2)).containsExactly(id(5), id(4));
        assertThat(ReplicationGap.between(source, region, 0)).isEmpty();
    }

    @Test
    void onlyVerifiedCompleteSourceSnapshotsAreCopied() {
        List<CatalogEntry> source = List.of(entry(id(1), false, true, 100, null), entry(id(2), true, false, 100, "x"),
                good(3));
        assertThat(ReplicationGap.between(source, List.of(), 10)).containsExactly(id(3));
    }

    @Test
    void damagedOrIncompleteCopiesCountAsMissing() {
        List<CatalogEntry> source = List.of(good(1), good(2), good(3), good(4), good(5));
        List<CatalogEntry> region = List.of(
                entry(id(1), false, true, 100, null),     // leftover without manifest
                entry(id(2), true, false, 100, "sha2"),   // verification missing
                entry(id(3), true, true, 60, "sha3"),     // truncated object
                entry(id(4), true, true, 100, "other"),   // a different snapshot under the same id
                good(5));
        assertThat(ReplicationGap.between(source, region, 10)).containsExactly(id(4), id(3), id(2), id(1));
    }
}
