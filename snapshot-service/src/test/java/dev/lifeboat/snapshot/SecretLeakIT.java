package dev.lifeboat.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.TlsBundle;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A real run with TLS client keys, tokens, a failing key file and a store outage; then every log
 * line the service wrote, every record on every Lifeboat topic, and every answer it gave
 * (problem bodies, health) are searched for the store's secret key, the tokens and the key material.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SecretLeakIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer secureEtcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-leak-");
        secureEtcd = EtcdServer.start(dir.resolve("etcd-tls"), TlsBundle.generate(dir.resolve("tls")));
    }

    @AfterAll
    static void stopEtcd() {
        secureEtcd.close();
    }

    @Test
    void noSecretReachesLogsEventsProblemsOrHealth() throws Exception {
        List<String> answers = new ArrayList<>();
        String admin = TokenMinter.adminToken();
        String expired = TokenMinter.shared().expiredToken("late", TokenMinter.ADMIN);
        String forged = TokenMinter.generate().token("forger", TokenMinter.ADMIN);
        TlsBundle tls = secureEtcd.tls();
        Path good = mount("leak-tls", tls.clientKey());
        Path broken = mount("leak-broken-key", tls.caCert());
        Files.writeString(broken.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n");

        ClusterSpec withCert = new ClusterSpec(List.of(secureEtcd.clientUrl()),
                new ClusterSpec.TlsFiles("ca.crt", "client.crt", "client.key"), null, null, null, null, null);
        try (TopicRecorder events = recorder()) {
            register("leak-tls", withCert);
            awaitEvent(events, "leak-tls", takeSnapshot("leak-tls"), EventTypes.SNAPSHOT_TAKEN);
            register("leak-broken-key", withCert);
            awaitFailure(events, "leak-broken-key", takeSnapshot("leak-broken-key"));
            S3Server s3 = LifeboatInfrastructure.servers().primary();
            s3.stop();
            try {
                answers.add(asAdmin().get("/api/v1/clusters/leak-tls/snapshots").then().statusCode(503)
                        .extract().asString());
                answers.add(given().get("/q/health/ready").then().extract().asString());
                awaitFailure(events, "leak-tls", takeSnapshot("leak-tls"));
            } finally {
                s3.start();
            }
        }
        answers.add(given().auth().oauth2(expired).get("/api/v1/clusters").then().statusCode(401).extract().asString());
        answers.add(given().auth().oauth2(forged).get("/api/v1/clusters").then().statusCode(401).extract().asString());
        answers.add(given().auth().oauth2(admin + "x").delete("/api/v1/clusters/leak-tls").then().statusCode(401)
                .extract().asString());
        answers.add(given().auth().oauth2(TokenMinter.viewerToken()).delete("/api/v1/clusters/leak-tls").then()
                .statusCode(403).extract().asString());
        answers.add(asAdmin().contentType(ContentType.JSON).body(new ClusterSpec(List.of(secureEtcd.clientUrl()),
                        new ClusterSpec.TlsFiles(good.resolve("client.key").toString(), null, null), null, null, null, null, null))
                .put("/api/v1/clusters/leak-other").then().statusCode(400).extract().asString());
        answers.add(given().get("/q/health").then().statusCode(200).extract().asString());
        answers.add(asAdmin().get("/api/v1/clusters").then().statusCode(200).extract().asString());

        List<String> secrets = new ArrayList<>(List.of(S3Server.SECRET_KEY, admin, expired, forged,
                signature(admin), signature(expired)));
        secrets.addAll(keyLines(tls.clientKey()));
        String everything = String.join("\n", answers) + "\n" + allRecords() + "\n" + serviceLog();
        for (String secret : secrets) {
            assertThat(everything).as("a secret of %d characters", secret.length()).doesNotContain(secret);
        }
        assertThat(everything).as("the run happened and was captured").contains("leak-tls", "TLS_CONFIG_INVALID",
                "STORE_UNAVAILABLE");
    }

    /** Mounts a cluster's credentials: the bundle's CA and client certificate, and {@code key} as client.key. */
    private static Path mount(String clusterId, Path key) throws Exception {
        Path own = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-test-credentials",
                clusterId));
        TlsBundle tls = secureEtcd.tls();
        Files.copy(tls.caCert(), own.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tls.clientCert(), own.resolve("client.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(key, own.resolve("client.key"), StandardCopyOption.REPLACE_EXISTING);
        return own;
    }

    private static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    /** The base64 body lines of a PEM key: any of them in the output would be a leak. */
    private static List<String> keyLines(Path pem) throws Exception {
        return Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----") && l.length() > 20).toList();
    }

    private static String allRecords() {
        StringBuilder out = new StringBuilder();
        try (TopicRecorder all = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.CLUSTERS, Topics.SNAPSHOTS_TAKEN, Topics.FAILURES, Topics.AUDIT)) {
            List<ConsumerRecord<String, byte[]>> records = all.drain(r -> true, Duration.ofSeconds(5));
            for (ConsumerRecord<String, byte[]> r : records) {
                out.append(r.key()).append(' ');
                for (Header h : r.headers()) {
                    out.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)).append(' ');
                }
                out.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return out.toString();
    }

    private static String serviceLog() throws Exception {
        Path log = Path.of("target", "snapshot-service-test.log");
        assertThat(log).as("the test profile writes the service's log to a file").exists();
        return Files.readString(log);
    }
}
