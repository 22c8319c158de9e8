package dev.lifeboat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeboat.store.CatalogEntry.ManifestState;
import dev.lifeboat.store.memory.InMemoryObjectStore;

/** The catalog read from a store's objects alone. */
class SnapshotCatalogTest {
    final InMemoryObjectStore store = new InMemoryObjectStore("primary");
    final SnapshotCatalog catalog = new SnapshotCatalog(store);

    static String id(String day) {
        return SnapshotIds.newSnapshotId(Instant.parse("2026-11-" + day + "T10:00:00Z"));
    }

    void complete(ObjectStore in, String cluster, String id) {
        SnapshotManifest m = SnapshotManifest.builder(cluster, id).takenAt(SnapshotIds.timeOf(id))
                .storedAsIs(2, "ab").build();
        in.put(SnapshotLayout.objectKey(m), new byte[] {1, 2}, "application/octet-stream");
        in.putJson(SnapshotLayout.manifestKey(cluster, id), m);
    }

    /** Counts the GETs a catalog makes, so a page's cost is measured, not assumed. */
    static final class CountingStore implements ObjectStore {
        final InMemoryObjectStore inner = new InMemoryObjectStore("primary");
        int gets;
        int lists;

        public String regionName() { return inner.regionName(); }
        public String location() { return inner.location(); }
        public void ensureBucket() { inner.ensureBucket(); }
        public boolean isReachable() { return inner.isReachable(); }
        public void put(String key, InputStream in, long size, String type) { inner.put(key, in, size, type); }
        public InputStream get(String key) { gets++; return inner.get(key); }
        public Optional<StoredObject> stat(String key) { return inner.stat(key); }
        public List<StoredObject> list(String prefix) { lists++; return inner.list(prefix); }
        public void delete(String key) { inner.delete(key); }
        public void deleteAll(List<String> keys) { inner.deleteAll(keys); }
        public int abortUploadsStartedBefore(String prefix, Instant before) { return inner.abortUploadsStartedBefore(prefix, before); }
        public Optional<VersionedObject> getVersioned(String key) { gets++; return inner.getVersioned(key); }
        public Optional<String> putIfAbsent(String key, byte[] bytes, String type) {
            return inner.putIfAbsent(key, bytes, type);
        }
        public Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String type) {
            return inner.replaceIfUnchanged(key, etag, bytes, type);
        }
    }

    @Test
    void aPageReadsOnlyItsOwnManifestsAndTheTokenLeadsToTheNext() {
        CountingStore counting = new CountingStore();
        SnapshotCatalog paged = new SnapshotCatalog(counting);
        List<String> ids = new java.util.ArrayList<>();
        for (int day = 10; day < 30; day++) {
            ids.add(id(String.valueOf(day)));
            complete(counting, "cat", ids.get(ids.size() - 1));
        }
        // one unreadable manifest inside the second page: listed with its state, not hidden
        counting.put(SnapshotLayout.manifestKey("cat", ids.get(13)), new byte[0], "application/json");
        counting.gets = 0;

        SnapshotCatalog.Page first = paged.page("cat", null, 5);
        assertThat(first.entries()).extracting(CatalogEntry::snapshotId)
                .containsExactly(ids.get(19), ids.get(18), ids.get(17), ids.get(16), ids.get(15));
        assertThat(counting.gets).as("manifests read for a page of 5 out of 20").isEqualTo(5);
        assertThat(counting.lists).isEqualTo(1);
        assertThat(first.nextBefore()).isLessThan(ids.get(15)).isGreaterThan(ids.get(14));

        SnapshotCatalog.Page second = paged.page("cat", first.nextBefore(), 5);
        assertThat(second.entries()).extracting(CatalogEntry::snapshotId)
                .containsExactly(ids.get(14), ids.get(13), ids.get(12), ids.get(11), ids.get(10));
        assertThat(second.entries().get(1).manifestState()).isEqualTo(CatalogEntry.ManifestState.UNREADABLE);
        assertThat(second.entries().get(1).manifestProblem()).isNotBlank();
        assertThat(second.entries()).filteredOn(e -> e != second.entries().get(1)).allMatch(CatalogEntry::complete);
        assertThat(counting.gets).isEqualTo(5 + 5);

        SnapshotCatalog.Page last = paged.page("cat", ids.get(3), 5);
        assertThat(last.entries()).extracting(CatalogEntry::snapshotId).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(last.nextBefore()).as("no page after the oldest").isNull();
        assertThat(paged.page("cat", ids.get(0), 5).entries()).isEmpty();
    }

    @Test
    void aSecondIsNeverSplitAcrossPages() {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        String a = SnapshotIds.newSnapshotId(at);
        String b = SnapshotIds.newSnapshotId(at);
        String older = id("19");
        complete(store, "cat", a);
        complete(store, "cat", b);
        complete(store, "cat", older);
        SnapshotCatalog.Page first = catalog.page("cat", null, 1);
        assertThat(first.entries()).extracting(CatalogEntry::snapshotId).containsExactlyInAnyOrder(a, b);
        assertThat(catalog.page("cat", first.nextBefore(), 1).entries())
                .extracting(CatalogEntry::snapshotId).containsExactly(older);
    }

    @Test
    void completeSnapshotsComeNewestFirstAndLeftoversSeparately() {
        String older = id("20");
        String newer = id("21");
        String leftover = id("22");
        complete(store, "cat", older);
        complete(store, "cat", newer);
        store.putJson(SnapshotLayout.verificationKey("cat", newer), "ok");
        store.putJson(SnapshotLayout.snapshotPrefix("cat", leftover) + SnapshotLayout.SNAPSHOT, "partial");
        store.putJson("clusters/cat/not-a-snapshot/file", "ignored");

        assertThat(catalog.complete("cat")).extracting(CatalogEntry::snapshotId).containsExactly(newer, older);
        assertThat(catalog.complete("cat")).extracting(CatalogEntry::verified).containsExactly(true, false);
        assertThat(catalog.entries("cat")).extracting(CatalogEntry::snapshotId).containsExactly(leftover, newer, older);
        assertThat(catalog.entries("cat").get(0).leftover()).isTrue();
        assertThat(catalog.newestVerified("cat")).get().extracting(CatalogEntry::snapshotId).isEqualTo(newer);
        assertThat(catalog.clusters()).containsExactly("cat");
        assertThat(catalog.unknown("cat")).isEmpty();
    }

    @Test
    void aCorruptManifestIsThatSnapshotsProblemNotTheCatalogs() {
        String good = id("20");
        String corrupt = id("21");
        String empty = id("22");
        String foreign = id("23");
        complete(store, "cat", good);
        complete(store, "cat", corrupt);
        store.put(SnapshotLayout.manifestKey("cat", corrupt), "{\"format\":\"etcd-sna".getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(SnapshotLayout.manifestKey("cat", empty), new byte[0], "application/json");
        // a manifest copied under another snapshot's prefix
        store.putJson(SnapshotLayout.manifestKey("cat", foreign),
                SnapshotManifest.builder("cat", good).takenAt(Instant.EPOCH).build());

        assertThat(catalog.complete("cat")).extracting(CatalogEntry::snapshotId).containsExactly(good);
        assertThat(catalog.unknown("cat")).extracting(CatalogEntry::snapshotId).containsExactly(foreign, empty, corrupt);
        assertThat(catalog.unknown("cat")).allSatisfy(e -> {
            assertThat(e.manifestState()).isEqualTo(ManifestState.UNREADABLE);
            assertThat(e.leftover()).isFalse();
            assertThat(e.complete()).isFalse();
            assertThat(e.manifestProblem()).contains(SnapshotLayout.manifestKey("cat", e.snapshotId()));
        });
    }

    @Test
    void aManifestListedButReadAsMissingIsUnknownNotALeftover() {
        String id = id("20");
        complete(store, "cat", id);
        String manifestKey = SnapshotLayout.manifestKey("cat", id);
        SnapshotCatalog inconsistent = new SnapshotCatalog(new ListingAhead(store, manifestKey));

        CatalogEntry entry = inconsistent.entries("cat").get(0);
        assertThat(entry.manifestState()).isEqualTo(ManifestState.VANISHED);
        assertThat(entry.manifestUnknown()).isTrue();
        assertThat(entry.leftover()).isFalse();
        assertThat(inconsistent.complete("cat")).isEmpty();
    }

    /** A store whose listing shows a key that its reads answer as missing (list-after-delete lag). */
    record ListingAhead(ObjectStore store, String missingKey) implements ObjectStore {
        @Override public String regionName() { return store.regionName(); }
        @Override public String location() { return store.location(); }
        @Override public void ensureBucket() { store.ensureBucket(); }
        @Override public boolean isReachable() { return store.isReachable(); }
        @Override public void put(String key, InputStream in, long size, String type) { store.put(key, in, size, type); }
        @Override public Optional<StoredObject> stat(String key) { return store.stat(key); }
        @Override public List<StoredObject> list(String prefix) { return store.list(prefix); }
        @Override public void delete(String key) { store.delete(key); }
        @Override public void deleteAll(List<String> keys) { store.deleteAll(keys); }
        @Override public int abortUploadsStartedBefore(String prefix, Instant before) { return 0; }
        @Override public Optional<VersionedObject> getVersioned(String key) { return store.getVersioned(key); }
        @Override public Optional<String> putIfAbsent(String key, byte[] bytes, String type) {
            return store.putIfAbsent(key, bytes, type);
        }
        @Override public Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String type) {
            return store.replaceIfUnchanged(key, etag, bytes, type);
        }

        @Override
        public InputStream get(String key) {
            if (key.equals(missingKey)) {
                throw new ObjectMissingException(key);
            }
            return store.get(key);
        }
    }
}
