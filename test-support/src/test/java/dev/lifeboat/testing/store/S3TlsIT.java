package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.TlsBundle;

/** An S3 endpoint over https with a certificate of a private CA: trusted through the region's ca-file, and only so. */
class S3TlsIT {
    private static final String BUCKET = "tls";

    @TempDir
    static Path dir;
    static TlsBundle tls;
    static S3Server s3;

    @BeforeAll
    static void start() {
        tls = TlsBundle.generate(dir.resolve("tls"));
        s3 = S3Server.startTls(dir.resolve("s3"), tls);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static Region region() {
        return Region.s3("primary", s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, BUCKET);
    }

    @Test
    void putGetAndListWorkWithTheCaConfigured() throws IOException {
        assertThat(s3.endpoint()).startsWith("https://");
        ObjectStore store = Regions.open(region().withCaFile(tls.caCert()));
        store.ensureBucket();
        assertThat(store.isReachable()).isTrue();

        store.put("tls/hello.txt", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");

        try (InputStream in = store.get("tls/hello.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(store.list("tls/")).extracting(StoredObject::key).containsExactly("tls/hello.txt");
        // an independent client over the same https endpoint sees the object
        assertThat(s3.s3api(BUCKET, "head-object", "--key", "tls/hello.txt", "--query", "ContentLength").strip())
                .isEqualTo("5");
    }

    @Test
    void withoutTheCaTheStoreRefusesTheEndpointWithAStoreError() {
        assertRefused(Regions.open(region()));
    }

    @Test
    void aCaFileOfAnotherCaIsNoTrustInThisEndpoint() {
        TlsBundle other = TlsBundle.generate(dir.resolve("other"));
        assertRefused(Regions.open(region().withCaFile(other.caCert())));
    }

    private static void assertRefused(ObjectStore store) {
        long began = System.nanoTime();
        assertThatThrownBy(() -> store.put("tls/refused.txt", new byte[] {1}, "application/octet-stream"))
                .isInstanceOf(StoreException.class);
        assertThat(store.isReachable()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aMissingOrUnreadableCaFileIsAConfigurationErrorNamingTheKey() throws IOException {
        assertThatThrownBy(() -> Regions.open(region().withCaFile(dir.resolve("absent.pem"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lifeboat.regions.primary.ca-file=")
                .hasMessageContaining("does not exist");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
        assertThatThrownBy(() -> Regions.open(region().withCaFile(notPem)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lifeboat.regions.primary.ca-file=");
    }
}
