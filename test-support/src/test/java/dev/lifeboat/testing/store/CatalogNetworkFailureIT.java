package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.CatalogEntry.ManifestState;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.StallingProxy;

/**
 * A catalog on a real S3 server (S3Proxy) reached through a loopback proxy that drops the
 * connection of every request for one manifest: that GET fails for real, on every retry, while
 * the listing and every other manifest read go through. The snapshot is that snapshot's problem
 * ({@link ManifestState#UNAVAILABLE}); the cluster's other snapshots stay complete. When the store
 * itself stops answering as well, the catalog fails as a whole (a store outage).
 */
class CatalogNetworkFailureIT {
    static final String CLUSTER = "net-failure";

    @TempDir
    static Path dir;
    static S3Server s3;
    static ObjectStore direct;

    @BeforeAll
    static void start() {
        s3 = S3Server.start(dir.resolve("s3"));
        direct = Regions.open(Region.s3("primary", s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                "catalog"));
        direct.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void oneManifestWhoseReadFailsIsThatSnapshotsProblemNotTheCatalogs() {
        Instant now = Instant.now();
        List<String> ids = List.of(SnapshotIds.newSnapshotId(now.minus(Duration.ofHours(3))),
                SnapshotIds.newSnapshotId(now.minus(Duration.ofHours(2))),
                SnapshotIds.newSnapshotId(now.minus(Duration.ofHours(1))));
        String cut = ids.get(1);
        for (String id : ids) {
            writeComplete(id);
        }
        try (StallingProxy proxy = proxyTo(s3)) {
            ObjectStore viaProxy = Regions.open(Region.s3("primary", proxy.url(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "catalog"));
            proxy.dropRequestsContaining(cut + "/manifest.json");

            Map<String, CatalogEntry> entries = new SnapshotCatalog(viaProxy).entries(CLUSTER).stream()
                    .collect(Collectors.toMap(CatalogEntry::snapshotId, Function.identity()));

            assertThat(proxy.droppedRequests()).as("the manifest's GET really failed").isPositive();
            assertThat(entries).containsOnlyKeys(ids);
            assertThat(entries.get(cut).manifestState()).isEqualTo(ManifestState.UNAVAILABLE);
            assertThat(entries.get(cut).manifestUnknown()).isTrue();
            assertThat(entries.get(cut).complete()).isFalse();
            assertThat(entries.get(cut).leftover()).as("never taken for an incomplete leftover").isFalse();
            assertThat(entries.get(cut).manifestProblem()).contains(cut + "/manifest.json");
            assertThat(new SnapshotCatalog(viaProxy).complete(CLUSTER)).extracting(CatalogEntry::snapshotId)
                    .containsExactly(ids.get(2), ids.get(0));
            assertThat(new SnapshotCatalog(viaProxy).unknown(CLUSTER)).extracting(CatalogEntry::snapshotId)
                    .containsExactly(cut);
            // the paged catalog (what REST shows) lists it in its place with its state, a page at a time
            SnapshotCatalog.Page first = new SnapshotCatalog(viaProxy).page(CLUSTER, null, 2);
            assertThat(first.entries()).extracting(CatalogEntry::snapshotId).containsExactly(ids.get(2), cut);
            assertThat(first.entries().get(1).manifestState()).isEqualTo(ManifestState.UNAVAILABLE);
            assertThat(first.entries().get(1).manifestProblem()).contains("could not be read");
            SnapshotCatalog.Page second = new SnapshotCatalog(viaProxy).page(CLUSTER, first.nextBefore(), 2);
            assertThat(second.entries()).extracting(CatalogEntry::snapshotId).containsExactly(ids.get(0));
            assertThat(second.nextBefore()).isNull();
        }
    }

    @Test
    void whenTheStoreStopsAnsweringTooTheWholeCatalogFails() {
        String id = SnapshotIds.newSnapshotId(Instant.now().minus(Duration.ofHours(5)));
        writeComplete(id);
        try (StallingProxy proxy = proxyTo(s3)) {
            ObjectStore viaProxy = Regions.open(Region.s3("primary", proxy.url(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "catalog"));
            proxy.dropRequestsContaining("/manifest.json");
            proxy.dropRequestsContaining("HEAD /catalog"); // the store's reachability check

            assertThatThrownBy(() -> new SnapshotCatalog(viaProxy).entries(CLUSTER))
                    .isInstanceOf(StoreException.class);
        }
    }

    private static void writeComplete(String id) {
        byte[] db = ("db of " + id).getBytes(StandardCharsets.UTF_8);
        SnapshotManifest manifest = StoreFixtures.manifest(CLUSTER, id).storedAsIs(db.length, sha256(db)).build();
        StoreFixtures.writeObject(direct, manifest, db);
        StoreFixtures.writeManifest(direct, manifest);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StallingProxy proxyTo(S3Server server) {
        java.net.URI endpoint = java.net.URI.create(server.endpoint());
        return StallingProxy.to(endpoint.getHost(), endpoint.getPort());
    }
}
