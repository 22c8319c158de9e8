package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;

/**
 * What every {@link ObjectStore} implementation must do, whatever holds the bytes. An
 * implementation's test extends this class and supplies the store; the S3 one runs it against a
 * real S3 server, the in-memory one in milliseconds. Every test works under its own key prefix.
 */
public abstract class ObjectStoreContract {
    /** Crosses two 16 MiB part boundaries of a multipart upload. */
    protected static final long LARGE = 2 * 16L * 1024 * 1024 + 12_345;

    protected String prefix;

    /** The store under test; may be the same instance for every test of the class. */
    protected abstract ObjectStore store();

    @BeforeEach
    void freshPrefix() {
        prefix = "contract/" + UUID.randomUUID() + "/";
    }

    /** Random bytes of a given length, produced as read, failing with an IOException at {@code failAt}. */
    public static InputStream randomStream(long length, long seed, long failAt) {
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
                int n = (int) Math.min(Math.min(len, 65_536), Math.min(length, failAt) - pos);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    public static byte[] sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return d.digest();
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = store().get(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aStreamOfUnknownLengthArrivesWhole() throws Exception {
        String key = prefix + "big";
        store().put(key, randomStream(LARGE, 1, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store().stat(key)).get().extracting(StoredObject::size).isEqualTo(LARGE);
        try (InputStream in = store().get(key)) {
            assertThat(sha256(in)).isEqualTo(sha256(randomStream(LARGE, 1, Long.MAX_VALUE)));
        }
        store().put(prefix + "small", randomStream(10, 2, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store().stat(prefix + "small")).get().extracting(StoredObject::size).isEqualTo(10L);
        store().put(prefix + "empty", InputStream.nullInputStream(), -1, "application/octet-stream");
        assertThat(read(prefix + "empty")).isEmpty();
    }

    @Test
    void anObjectOfKnownSizeReadsBackAsWritten() throws Exception {
        byte[] bytes = "etcd".getBytes(StandardCharsets.UTF_8);
        store().put(prefix + "sized", new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");
        assertThat(read(prefix + "sized")).isEqualTo(bytes);
        store().put(prefix + "sized", "again".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(read(prefix + "sized")).asString(StandardCharsets.UTF_8).isEqualTo("again");
    }

    @Test
    void aProducerThatBreaksLeavesNoObject() {
        String key = prefix + "broken";
        assertThatThrownBy(() -> store().put(key, randomStream(LARGE, 4, LARGE / 2), -1, "application/octet-stream"))
                .isInstanceOf(StoreException.class).hasMessageContaining("producer broke");
        assertThat(store().stat(key)).isEmpty();
        assertThat(store().list(prefix)).isEmpty();
    }

    @Test
    void aMissingKeyIsMissingNotAnOutage() {
        assertThat(store().stat(prefix + "nothing")).isEmpty();
        assertThatThrownBy(() -> store().get(prefix + "nothing")).isInstanceOf(ObjectMissingException.class);
        assertThatThrownBy(() -> store().getJson(prefix + "nothing", Map.class)).isInstanceOf(ObjectMissingException.class);
        store().delete(prefix + "nothing");
        store().deleteAll(List.of(prefix + "nothing", prefix + "neither"));
    }

    @Test
    void listingShowsEveryObjectUnderThePrefixAtAnyDepthInKeyOrder() {
        for (String key : List.of("b/2", "a", "b/1/deep", "c")) {
            store().put(prefix + "in/" + key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
        }
        store().put(prefix + "inside", new byte[1], "text/plain");
        store().put(prefix + "out/x", new byte[1], "text/plain");
        assertThat(store().list(prefix + "in/")).extracting(StoredObject::key)
                .containsExactly(prefix + "in/a", prefix + "in/b/1/deep", prefix + "in/b/2", prefix + "in/c");
        assertThat(store().list(prefix + "in/")).extracting(StoredObject::size).containsExactly(1L, 8L, 3L, 1L);
        assertThat(store().list(prefix + "in/")).allSatisfy(o ->
                assertThat(o.lastModified()).isAfter(Instant.now().minusSeconds(600)));
    }

    @Test
    void aListingCanStartAfterAKey() {
        for (String key : List.of("20261101T000000Z-00000001/manifest.json", "20261102T000000Z-00000002/manifest.json",
                "20261102T000000Z-00000002/snapshot.db", "20261103T000000Z-00000003/snapshot.db")) {
            store().put(prefix + "after/" + key, new byte[1], "text/plain");
        }
        store().put(prefix + "later", new byte[1], "text/plain");
        assertThat(store().list(prefix + "after/", prefix + "after/20261102T000000Z")).extracting(StoredObject::key)
                .containsExactly(prefix + "after/20261102T000000Z-00000002/manifest.json",
                        prefix + "after/20261102T000000Z-00000002/snapshot.db",
                        prefix + "after/20261103T000000Z-00000003/snapshot.db");
        assertThat(store().list(prefix + "after/", prefix + "after/20261104")).isEmpty();
    }

    @Test
    void deletingRemovesOnlyTheNamedKeys() {
        for (String key : List.of("1", "2", "3", "4")) {
            store().put(prefix + key, new byte[] {1}, "application/octet-stream");
        }
        store().delete(prefix + "1");
        store().deleteAll(List.of(prefix + "2", prefix + "3"));
        store().deleteAll(List.of());
        assertThat(store().list(prefix)).extracting(StoredObject::key).containsExactly(prefix + "4");
    }

    @Test
    void jsonDocumentsRoundTripAndAMalformedOneIsTheDocumentsProblem() {
        store().putJson(prefix + "doc.json", Map.of("revision", 42));
        assertThat(store().getJson(prefix + "doc.json", Map.class)).containsEntry("revision", 42);
        store().put(prefix + "truncated.json", "{\"revision\": 4".getBytes(StandardCharsets.UTF_8), "application/json");
        store().put(prefix + "empty.json", new byte[0], "application/json");
        for (String key : List.of(prefix + "truncated.json", prefix + "empty.json")) {
            assertThatThrownBy(() -> store().getJson(key, Map.class))
                    .isInstanceOf(MalformedDocumentException.class)
                    .isNotInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((MalformedDocumentException) e).key()).isEqualTo(key));
        }
    }

    @Test
    void theBucketCanBeEnsuredTwiceAndIsReachable() {
        store().ensureBucket();
        store().ensureBucket();
        assertThat(store().isReachable()).isTrue();
    }

    @Test
    void noUploadIsAbortedWhenNoneWasLeftBehind() {
        store().put(prefix + "whole", randomStream(100, 5, Long.MAX_VALUE), -1, "application/octet-stream");
        assertThat(store().abortUploadsStartedBefore(prefix, Instant.now().plusSeconds(60))).isZero();
        assertThat(store().stat(prefix + "whole")).isPresent();
    }

    @Test
    void aConditionalCreateWritesOnlyWhereNothingIsStored() {
        String key = prefix + "claim.json";
        var first = store().putIfAbsent(key, bytes("first"), "application/json");
        assertThat(first).isPresent();
        assertThat(store().putIfAbsent(key, bytes("second"), "application/json")).isEmpty();
        var stored = store().getVersioned(key).orElseThrow();
        assertThat(new String(stored.bytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(stored.etag()).isEqualTo(first.get());
        assertThat(store().getVersioned(prefix + "absent.json")).isEmpty();
    }

    @Test
    void aConditionalReplaceWritesOnlyOverTheVersionItNames() {
        String key = prefix + "claim.json";
        String v1 = store().putIfAbsent(key, bytes("v1"), "application/json").orElseThrow();
        String v2 = store().replaceIfUnchanged(key, v1, bytes("v2"), "application/json").orElseThrow();
        // a writer that read v1 before v2 was written loses
        assertThat(store().replaceIfUnchanged(key, v1, bytes("stale"), "application/json")).isEmpty();
        assertThat(new String(store().getVersioned(key).orElseThrow().bytes(), StandardCharsets.UTF_8)).isEqualTo("v2");
        assertThat(store().getVersioned(key).orElseThrow().etag()).isEqualTo(v2);
        store().delete(key);
        assertThat(store().replaceIfUnchanged(key, v2, bytes("gone"), "application/json")).isEmpty();
        assertThat(store().stat(key)).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
