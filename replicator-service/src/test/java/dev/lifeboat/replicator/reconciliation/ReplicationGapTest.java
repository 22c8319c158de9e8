package dev.lifeboat.replicator.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.lifeboat.common.retention.RetentionPlan;
import dev.lifeboat.common.retention.RetentionPlanner;
import dev.lifeboat.common.retention.RetentionPolicy;
import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.store.StoreFixtures;

class ReplicationGapTest {
    static final String CLUSTER = "c1";
    /** A day after the snapshots of these tests: all of them are older than the grace period. */
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Duration GRACE = Duration.ofHours(2);
    /** A target whose retention keeps every snapshot. */
    static final Function<List<SnapshotFacts>, RetentionPlan> KEEPS_ALL = keepLast(1000);

    static Function<List<SnapshotFacts>, RetentionPlan> keepLast(int n) {
        return facts -> RetentionPlanner.plan(facts, new RetentionPolicy(n, 0, 0, 0, 0, 0, 0), NOW, GRACE);
    }

    static List<String> toCopy(List<CatalogEntry> source, List<CatalogEntry> region, int limit) {
        return ReplicationGap.between(source, region, limit, KEEPS_ALL).toCopy();
    }

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
        assertThat(toCopy(source, region, 10)).containsExactly(id(5), id(4), id(2), id(1));
        assertThat(toCopy(source, region, 2)).containsExactly(id(5), id(4));
        assertThat(toCopy(source, region, 0)).isEmpty();
    }

    @Test
    void onlyVerifiedCompleteSourceSnapshotsAreCopied() {
        List<CatalogEntry> source = List.of(entry(id(1), false, true, 100, null), entry(id(2), true, false, 100, "x"),
                good(3));
        assertThat(toCopy(source, List.of(), 10)).containsExactly(id(3));
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
        assertThat(toCopy(source, region, 10)).containsExactly(id(4), id(3), id(2), id(1));
    }

    @Test
    void whatTheTargetsRetentionWouldPruneIsNotCopied() {
        List<CatalogEntry> source = List.of(good(1), good(2), good(3), good(4), good(5), good(6));
        // the target keeps the newest 3 and holds the newest already
        ReplicationGap.Gap gap = ReplicationGap.between(source, List.of(good(6)), 10, keepLast(3));

        assertThat(gap.toCopy()).containsExactly(id(5), id(4));
        assertThat(gap.prunedByTarget()).containsExactly(id(3), id(2), id(1));
    }

    @Test
    void theLimitCountsOnlyWhatIsCopied() {
        List<CatalogEntry> source = List.of(good(1), good(2), good(3), good(4), good(5), good(6));
        ReplicationGap.Gap gap = ReplicationGap.between(source, List.of(), 1, keepLast(2));

        assertThat(gap.toCopy()).containsExactly(id(6));
        assertThat(gap.prunedByTarget()).containsExactly(id(4), id(3), id(2), id(1));
    }

    @Test
    void theTargetsOwnSnapshotsCountForItsPlan() {
        // the target holds a newer snapshot of its own (copied by an event, or from before a source cleanup)
        // and an unverified one: keep-last=3 keeps its 7, its 4 and the newest of the source's
        List<CatalogEntry> source = List.of(good(1), good(2), good(3));
        List<CatalogEntry> region = List.of(good(7), entry(id(4), true, false, 100, "sha4"));
        ReplicationGap.Gap gap = ReplicationGap.between(source, region, 10, keepLast(3));

        assertThat(gap.toCopy()).containsExactly(id(3));
        assertThat(gap.prunedByTarget()).containsExactly(id(2), id(1));
    }

    @Test
    void evenAPolicyWithoutRulesKeepsTheNewestVerified() {
        List<CatalogEntry> source = List.of(good(1), good(2));
        Function<List<SnapshotFacts>, RetentionPlan> keepsNothing =
                facts -> RetentionPlanner.plan(facts, new RetentionPolicy(0, 0, 0, 0, 0, 0, 0), NOW, Duration.ZERO);
        // the newest verified snapshot is always kept, so only the older one is pruned
        assertThat(ReplicationGap.between(source, List.of(), 10, keepsNothing).toCopy()).containsExactly(id(2));
    }

    @Test
    void snapshotsYoungerThanTheGraceAreCopiedWhateverThePolicy() {
        List<CatalogEntry> source = List.of(good(1), good(2), good(3));
        Instant justAfter = Instant.parse("2026-11-21T03:30:00Z"); // 3 is 30 min old, 2 is 90 min old, 1 is 2.5 h old
        ReplicationGap.Gap gap = ReplicationGap.between(source, List.of(), 10,
                facts -> RetentionPlanner.plan(facts, new RetentionPolicy(1, 0, 0, 0, 0, 0, 0), justAfter, GRACE));

        assertThat(gap.toCopy()).containsExactly(id(3), id(2));
        assertThat(gap.prunedByTarget()).containsExactly(id(1));
    }
}
