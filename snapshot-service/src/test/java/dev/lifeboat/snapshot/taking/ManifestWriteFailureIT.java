package dev.lifeboat.snapshot.taking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.snapshot.etcd.ClusterProbe;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.memory.InMemoryObjectStore;
import dev.lifeboat.store.memory.InMemoryObjectStore.Verb;
import dev.lifeboat.testing.EtcdServer;

/**
 * A real etcd streamed into a store whose manifest write fails, cleanly or ambiguously (stored,
 * but its answer lost): whatever happens, no manifest is left beside a missing snapshot object.
 */
class ManifestWriteFailureIT {
    static final String CLUSTER = "manifest-failure";

    @TempDir
    static Path dir;
    static EtcdServer etcd;
    static ClusterSpec spec;
    static ClusterProbe probe = new ClusterProbe(2, 2);

    InMemoryObjectStore store;
    SnapshotTaker taker;
    String snapshotId;
    String manifestKey;
    String objectKey;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(dir.resolve("etcd"));
        etcd.etcdctl("put", "/registry/pods/default/a", "1");
        spec = new ClusterSpec(List.of(etcd.clientUrl()), null, null, null, List.of(), null, Map.of());
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
        probe.close();
    }

    @BeforeEach
    void freshStore() {
        store = new InMemoryObjectStore("primary");
        taker = new SnapshotTaker(store, probe, new SnapshotLimits(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 1024 * 1024, Duration.ofSeconds(10)), 256, "test");
        snapshotId = SnapshotIds.newSnapshotId(Instant.now());
        manifestKey = SnapshotLayout.manifestKey(CLUSTER, snapshotId);
        objectKey = SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY);
    }

    void take() {
        taker.take(CLUSTER, snapshotId, spec, "ON_DEMAND", pipe -> { });
    }

    void assertNoManifestBesideAMissingObject() {
        if (store.stat(manifestKey).isPresent()) {
            assertThat(store.stat(objectKey)).as("the object a stored manifest describes").isPresent();
        }
    }

    @Test
    void aManifestWriteThatFailsLeavesNothing() {
        store.failNext(Verb.PUT, manifestKey, 1, false);
        assertThatThrownBy(this::take).isInstanceOfSatisfying(SnapshotFailedException.class,
                e -> assertThat(e.reason()).isEqualTo(FailureReason.STORE_UNAVAILABLE));
        assertThat(store.list(SnapshotLayout.snapshotPrefix(CLUSTER, snapshotId))).isEmpty();
    }

    @Test
    void aManifestStoredButReportedAsFailedIsRemovedBeforeTheObject() {
        store.failNext(Verb.PUT, manifestKey, 1, true);
        assertThatThrownBy(this::take).isInstanceOf(SnapshotFailedException.class);
        assertThat(store.stat(manifestKey)).isEmpty();
        assertThat(store.stat(objectKey)).isEmpty();
    }

    @Test
    void whenTheManifestsAbsenceCannotBeConfirmedTheObjectIsKept() {
        store.failNext(Verb.PUT, manifestKey, 1, true);
        store.failNext(Verb.DELETE, manifestKey, 1, false);
        assertThatThrownBy(this::take).isInstanceOf(SnapshotFailedException.class);
        assertThat(store.stat(manifestKey)).isPresent();
        assertNoManifestBesideAMissingObject();
    }

    @Test
    void aManifestWhoseRemovalCannotBeCheckedAlsoKeepsTheObject() {
        store.failNext(Verb.PUT, manifestKey, 1, true);
        store.failNext(Verb.STAT, manifestKey, 1, false);
        assertThatThrownBy(this::take).isInstanceOf(SnapshotFailedException.class);
        assertThat(store.stat(objectKey)).isPresent();
        assertNoManifestBesideAMissingObject();
    }

    @Test
    void aSuccessfulSnapshotHasItsObjectUnderTheManifestsName() {
        take();
        assertThat(store.stat(manifestKey)).isPresent();
        var manifest = store.getJson(manifestKey, dev.lifeboat.store.SnapshotManifest.class);
        assertThat(SnapshotLayout.objectKey(manifest)).isEqualTo(objectKey);
        assertThat(manifest.encoding()).isEqualTo("identity");
        assertThat(store.stat(objectKey)).get().satisfies(o -> assertThat(o.size()).isEqualTo(manifest.storedSizeBytes())
                .isEqualTo(manifest.sizeBytes()));
    }
}
