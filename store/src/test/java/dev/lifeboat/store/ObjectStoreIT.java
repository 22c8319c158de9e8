package dev.lifeboat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.testing.S3Server;

/** The adapter against a real S3 server: streamed multipart uploads, aborts, the catalog. */
class ObjectStoreIT {
    @TempDir
    static Path dir;
    static S3Server s3;
    static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = S3Server.start(dir.resolve("s3"));
        store = new ObjectStore(new Region("primary", s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "store-it"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    /** Random bytes of a given length, produced as it is read, optionally failing after {@code failAt}. */
    static InputStream randomStream(long length, long seed, long failAt) {
        Random random = new Random(seed);
        return new InputStream() {
            long pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= failAt) {
                    throw new IOException("producer broke at " + pos);
                }
                if (pos >= length) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, 65_536), length - pos);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return d.digest();
    }

    @Test
    void aStreamOfUnknownLengthArrivesWholeAcrossParts() throws Exception {
        long length = 2 * ObjectStore.PART_SIZE + 12_345;
        store.put("big/object", randomStream(length, 1, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store.stat("big/object")).get().extracting(StoredObject::size).isEqualTo(length);
        try (InputStream in = store.get("big/object")) {
            assertThat(sha256(in)).isEqualTo(sha256(randomStream(length, 1, Long.MAX_VALUE)));
        }
        store.put("small/object", randomStream(10, 2, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store.stat("small/object")).get().extracting(StoredObject::size).isEqualTo(10L);
        store.put("exact/object", randomStream(ObjectStore.PART_SIZE, 3, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store.stat("exact/object")).get().extracting(StoredObject::size).isEqualTo(ObjectStore.PART_SIZE);
    }

    @Test
    void aProducerThatBreaksLeavesNoObjectAndNoPendingUpload() {
        assertThatThrownBy(() -> store.put("broken/object",
                randomStream(3 * ObjectStore.PART_SIZE, 4, ObjectStore.PART_SIZE + 100), -1, "application/octet-stream"))
                .isInstanceOf(StoreException.class).hasMessageContaining("producer broke");
        assertThat(store.stat("broken/object")).isEmpty();
        assertThat(store.pendingUploads("broken/object")).isZero();
    }

    @Test
    void theCatalogShowsCompleteSnapshotsNewestFirstAndLeftoversSeparately() {
        String older = SnapshotIds.newSnapshotId(Instant.parse("2026-11-20T10:00:00Z"));
        String newer = SnapshotIds.newSnapshotId(Instant.parse("2026-11-21T10:00:00Z"));
        String leftover = SnapshotIds.newSnapshotId(Instant.parse("2026-11-22T10:00:00Z"));
        for (String id : new String[] {older, newer}) {
            store.putJson(SnapshotLayout.snapshotKey("cat", id), "db");
            store.putJson(SnapshotLayout.manifestKey("cat", id), new SnapshotManifest(SnapshotManifest.FORMAT, "cat", id,
                    SnapshotIds.timeOf(id), 1, "1", "http://e:2379", "3.4.23", 2, "ab", SnapshotLayout.SNAPSHOT,
                    "ON_DEMAND", "test", 1));
        }
        store.putJson(SnapshotLayout.verificationKey("cat", newer), "ok");
        store.putJson(SnapshotLayout.snapshotKey("cat", leftover), "partial");
        store.putJson("clusters/cat/not-a-snapshot/file", "ignored");

        SnapshotCatalog catalog = new SnapshotCatalog(store);
        assertThat(catalog.complete("cat")).extracting(CatalogEntry::snapshotId).containsExactly(newer, older);
        assertThat(catalog.complete("cat")).extracting(CatalogEntry::verified).containsExactly(true, false);
        assertThat(catalog.entries("cat")).extracting(CatalogEntry::snapshotId).containsExactly(leftover, newer, older);
        assertThat(catalog.entries("cat").get(0).complete()).isFalse();
        assertThat(catalog.clusters()).contains("cat");
    }
}
