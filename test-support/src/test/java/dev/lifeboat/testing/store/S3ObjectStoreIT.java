package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.s3.S3ObjectStore;
import dev.lifeboat.testing.S3Server;

/** The store contract against a real S3 server, plus what only multipart uploads have. */
class S3ObjectStoreIT extends ObjectStoreContract {
    @TempDir
    static Path dir;
    static S3Server s3;
    static S3ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = S3Server.start(dir.resolve("s3"));
        store = (S3ObjectStore) Regions.open(Region.s3("primary", s3.endpoint(), S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY, "contract"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void aBrokenStreamedUploadIsAbortedNotLeftPending() {
        String key = prefix + "broken-multipart";
        assertThatThrownBy(() -> store.put(key, randomStream(3 * S3ObjectStore.PART_SIZE, 4,
                S3ObjectStore.PART_SIZE + 100), -1, "application/octet-stream"))
                .isInstanceOf(StoreException.class).hasMessageContaining("producer broke");
        assertThat(store.pendingUploads(key)).isEmpty();
    }

    /** An upload started by another client (the AWS CLI) and never finished, as a crash leaves it. */
    @Test
    void uploadsLeftUnfinishedAreAbortedOnceOlderThanTheGivenTime() {
        String orphan = prefix + "clusters/c/20261121T044649Z-3f9a1c2e/snapshot.db";
        String elsewhere = "other/" + prefix + "snapshot.db";
        s3.s3api("contract", "create-multipart-upload", "--key", orphan);
        s3.s3api("contract", "create-multipart-upload", "--key", elsewhere);
        assertThat(s3.pendingUploadKeys("contract")).contains(orphan, elsewhere);

        assertThat(store.abortUploadsStartedBefore(prefix, Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(s3.pendingUploadKeys("contract")).contains(orphan);

        assertThat(store.abortUploadsStartedBefore(prefix, Instant.now().plus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(s3.pendingUploadKeys("contract")).doesNotContain(orphan).contains(elsewhere);
    }

    @Test
    void anUnreachableStoreIsReportedNotThrown() {
        ObjectStore nowhere = Regions.open(Region.s3("nowhere", "http://127.0.0.1:9", S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY, "contract"));
        long began = System.nanoTime();
        assertThat(nowhere.isReachable()).isFalse();
        assertThat((System.nanoTime() - began) / 1_000_000).isLessThan(10_000);
    }
}
