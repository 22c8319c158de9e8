package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.kit.registry.RegistrationRules;
import dev.lifeboat.kit.registry.RejectedRegistrations;
import dev.lifeboat.snapshot.scheduling.SnapshotScheduler;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TlsBundle;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/** The registry API: validation, persistence on Kafka, the cron, TLS with client certificates. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class ClusterApiIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer etcd;
    static EtcdServer secureEtcd;

    @Inject
    SnapshotScheduler scheduler;

    @Inject
    ClusterRegistry registry;

    @Inject
    RegistrationRules rules;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-api-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        secureEtcd = EtcdServer.start(dir.resolve("etcd-tls"), TlsBundle.generate(dir.resolve("tls")));
        secureEtcd.etcdctl("put", "/registry/secrets/kube-system/token", "secret");
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
        secureEtcd.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "uppercase id        | Prod                 | {\"endpoints\":[\"http://127.0.0.1:2379\"]}                         | clusterId",
            "space in id         | a%20b                | {\"endpoints\":[\"http://127.0.0.1:2379\"]}                         | clusterId",
            "dots in id          | a..b                 | {\"endpoints\":[\"http://127.0.0.1:2379\"]}                         | clusterId",
            "no endpoints        | c1                   | {\"endpoints\":[]}                                                  | endpoints",
            "malformed endpoint  | c1                   | {\"endpoints\":[\"127.0.0.1:2379\"]}                                | endpoints[0]",
            "endpoint with path  | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379/../x\"]}                    | endpoints[0]",
            "invalid cron        | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedule\":\"0 25 * * *\"} | schedule",
            "six-field cron      | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedule\":\"0 0 * * * *\"} | schedule",
            "cron never fires    | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedule\":\"0 0 31 2 *\"} | schedule",
            "monthly cron        | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedule\":\"0 0 1 * *\"} | schedule",
            "unknown field       | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedul\":\"0 * * * *\"} | schedul",
            "unknown region      | c1                   | {\"endpoints\":[\"http://127.0.0.1:2379\"],\"replicateTo\":[\"mars\"]} | replicateTo[0]",
            "not json            | c1                   | {endpoints                                                         | body",
            "host file as CA     | c1                   | {\"endpoints\":[\"https://127.0.0.1:2379\"],\"tls\":{\"caFile\":\"/etc/shadow\"}} | tls.caFile",
            "traversal           | c1                   | {\"endpoints\":[\"https://127.0.0.1:2379\"],\"tls\":{\"caFile\":\"../c2/ca.crt\"}} | tls.caFile",
            "another cluster key | c1                   | {\"endpoints\":[\"https://127.0.0.1:2379\"],\"tls\":{\"caFile\":\"ca.crt\",\"certFile\":\"../tls-client-cert/client.crt\",\"keyFile\":\"../tls-client-cert/client.key\"}} | tls.keyFile",
    })
    void badInputIsA400ProblemNamingTheField(String name, String clusterId, String body, String field) {
        asAdmin().contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/clusters/" + clusterId)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("errors.field", hasItem(field));
    }

    @Test
    void aBodyOverTheLimitIs413Problem() {
        String huge = "{\"endpoints\":[\"http://127.0.0.1:2379\"],\"labels\":{\"k\":\"" + "x".repeat(70_000) + "\"}}";
        asAdmin().contentType(ContentType.JSON).body(huge).when().put("/api/v1/clusters/huge")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
        asAdmin().when().get("/api/v1/clusters/huge").then().statusCode(404);
    }

    @Test
    void whatTheFrameworkRefusesIsAProblemToo() {
        asAdmin().when().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", containsString("/api/v1/nothing-here"));
        asAdmin().contentType(ContentType.TEXT).body("endpoints: x").when().put("/api/v1/clusters/c1")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        asAdmin().when().patch("/api/v1/clusters/c1").then().statusCode(405).contentType("application/problem+json")
                .body("title", equalTo("Method Not Allowed"));
    }

    @Test
    void unknownClustersAre404() {
        for (String path : List.of("/api/v1/clusters/nobody", "/api/v1/clusters/nobody/snapshots")) {
            asAdmin().when().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("detail", containsString("nobody"));
        }
        asAdmin().when().post("/api/v1/clusters/nobody/snapshots").then().statusCode(404);
        asAdmin().when().delete("/api/v1/clusters/nobody").then().statusCode(404);
        asAdmin().when().get("/api/v1/clusters/c1/snapshots/not-an-id").then().statusCode(400)
                .body("errors.field", hasItem("snapshotId"));
    }

    @Test
    void theRegistrySurvivesARestartBecauseItLivesOnKafka() throws Exception {
        ClusterSpec spec = new ClusterSpec(List.of(etcd.clientUrl()), null, "0 3 * * *",
                new ClusterSpec.RetentionSpec(24, 24, 7, 4, 12, null, null), List.of("secondary"), 120,
                Map.of("env", "prod"));
        asAdmin().contentType(ContentType.JSON).body(spec).when().put("/api/v1/clusters/persisted")
                .then().statusCode(201).body("spec.schedule", equalTo("0 3 * * *"));
        asAdmin().contentType(ContentType.JSON).body(spec).when().put("/api/v1/clusters/persisted")
                .then().statusCode(200);
        register("removed", plain(etcd.clientUrl()));
        asAdmin().when().delete("/api/v1/clusters/removed").then().statusCode(204);
        asAdmin().when().get("/api/v1/clusters/removed").then().statusCode(404);

        // what a restarted service does: read the compacted topic from the start
        try (ClusterRegistry fresh = new ClusterRegistry(
                KafkaClientConfig.bootstrap(LifeboatInfrastructure.servers().kafka().bootstrapServers()), "restart-probe",
                rules.validator(), new RejectedRegistrations(null))
                .startCaughtUp(Duration.ofSeconds(30))) {
            assertThat(fresh.get("persisted")).contains(spec);
            assertThat(fresh.get("removed")).isEmpty();
        }
        asAdmin().when().get("/api/v1/clusters").then().statusCode(200)
                .body("clusterId", hasItem("persisted"));
    }

    @Test
    void theCronFiresAScheduledSnapshot() {
        String clusterId = "cron-every-minute";
        register(clusterId, new ClusterSpec(List.of(etcd.clientUrl()), null, "* * * * *", null, null, null, null));
        // a spec that never passed validation (written to Kafka by something else) stops no other cluster
        registry.applyWritten(new ClusterRegistered("bad-cron", new ClusterSpec(List.of(etcd.clientUrl()), null,
                "61 * * * *", null, null, null, null), Instant.now()));
        Instant now = Instant.now();
        scheduler.tick(now); // plans the next fire time
        Instant next = scheduler.nextFire(clusterId);
        assertThat(next).isAfter(now).isBeforeOrEqualTo(now.plusSeconds(60));
        // other tests' clusters share the registry and may fire in the same tick: judge this cluster only
        scheduler.tick(next.minusMillis(1));
        assertThat(scheduler.nextFire(clusterId)).as("not due yet, still planned").isEqualTo(next);
        try (TopicRecorder events = recorder()) {
            assertThat(scheduler.tick(next)).isPositive();
            var record = events.await(r -> clusterId.equals(r.key())
                    && EventTypes.SNAPSHOT_TAKEN.equals(CloudEventCodec.header(r.headers(), "ce_type")), EVENT_TIMEOUT);
            assertThat(CloudEventCodec.decode(record, SnapshotTaken.class).trigger()).isEqualTo("SCHEDULE");
        }
        assertThat(scheduler.nextFire(clusterId)).isAfter(next);
        assertThat(scheduler.nextFire("bad-cron")).isNull();
        registry.applyRemoved("bad-cron");
    }

    @Test
    void firesMissedBeforeTheLatestAreEachNamedSkippedOnceAndTheLatestIsTakenLate() {
        String clusterId = "missed-fires";
        ClusterSpec spec = new ClusterSpec(List.of(etcd.clientUrl()), null, "* * * * *", null, null, null, null);
        Instant now = Instant.now();
        Instant latest = now.truncatedTo(ChronoUnit.MINUTES);
        // what a service that was down for five minutes finds: a one-minute schedule since 5.5 minutes ago
        Instant since = latest.minus(Duration.ofMinutes(4)).minusSeconds(30);
        List<Instant> superseded = List.of(latest.minus(Duration.ofMinutes(4)), latest.minus(Duration.ofMinutes(3)),
                latest.minus(Duration.ofMinutes(2)), latest.minus(Duration.ofMinutes(1)));
        ClusterRegistered registration = new ClusterRegistered(clusterId, spec, since, null, since);
        try (TopicRecorder events = recorder()) {
            registry.applyWritten(registration);
            scheduler.tick(now); // planned for the first time: catches up
            SnapshotTaken late = CloudEventCodec.decode(events.await(r -> clusterId.equals(r.key())
                    && EventTypes.SNAPSHOT_TAKEN.equals(CloudEventCodec.header(r.headers(), "ce_type")), EVENT_TIMEOUT),
                    SnapshotTaken.class);
            assertThat(SnapshotIds.timeOf(late.snapshotId())).as("the latest fire, taken late").isEqualTo(latest);
            assertThat(late.trigger()).isEqualTo("SCHEDULE");
            List<BackupFailed> skipped = events.awaitEvents(BackupFailed.class, clusterId, superseded.size(), EVENT_TIMEOUT);
            assertThat(skipped).allSatisfy(f -> {
                assertThat(f.reason()).isEqualTo(FailureReason.SNAPSHOT_SKIPPED);
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.message()).contains("was not taken");
            });
            assertThat(skipped).extracting(f -> SnapshotIds.timeOf(f.snapshotId()))
                    .as("one per superseded fire, none for the one taken late").containsExactlyElementsOf(superseded);
            assertThat(metric("lifeboat_snapshot_superseded_fires_total", clusterId)).isEqualTo(4.0);

            // planned for the first time again (what a restart or a handover does): nothing named twice
            registry.applyRemoved(clusterId);
            scheduler.tick(now);
            registry.applyWritten(registration);
            scheduler.tick(Instant.now());
            assertThat(events.drain(r -> clusterId.equals(r.key()) && EventTypes.BACKUP_FAILED.equals(
                    CloudEventCodec.header(r.headers(), "ce_type")), Duration.ofSeconds(3)))
                    .as("failures of %s after the second planning", clusterId).hasSize(superseded.size());
            assertThat(metric("lifeboat_snapshot_superseded_fires_total", clusterId)).isEqualTo(4.0);
        } finally {
            registry.applyRemoved(clusterId);
        }
    }

    /** A counter of the cluster read from the service's Prometheus endpoint (0 when absent). */
    private static double metric(String name, String clusterId) {
        String text = asAdmin().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("cluster=\"" + clusterId + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** What mounting the cluster's Secret does: its files in {@code <credentials-dir>/<clusterId>/}. */
    static void mountCredentials(String clusterId) {
        try {
            Path own = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-test-credentials",
                    clusterId));
            TlsBundle tls = secureEtcd.tls();
            for (Path file : List.of(tls.caCert(), tls.clientCert(), tls.clientKey())) {
                Files.copy(file, own.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tlsWithClientCertificatesWorksAndWithoutThemFails() {
        String withCert = "tls-client-cert";
        mountCredentials(withCert);
        register(withCert, new ClusterSpec(List.of(secureEtcd.clientUrl()),
                new ClusterSpec.TlsFiles("ca.crt", "client.crt", "client.key"), null, null, null, null, null));
        String withoutCert = "tls-no-client-cert";
        mountCredentials(withoutCert);
        register(withoutCert, new ClusterSpec(List.of(secureEtcd.clientUrl()),
                new ClusterSpec.TlsFiles("ca.crt", null, null), null, null, null, null, null));
        try (TopicRecorder events = recorder()) {
            String good = takeSnapshot(withCert);
            SnapshotTaken taken = CloudEventCodec.decode(awaitEvent(events, withCert, good, EventTypes.SNAPSHOT_TAKEN),
                    SnapshotTaken.class);
            assertThat(taken.sizeBytes()).isGreaterThan(32);
            String bad = takeSnapshot(withoutCert);
            BackupFailed failed = awaitFailure(events, withoutCert, bad);
            assertThat(failed.reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE);
        }
    }
}
