package dev.lifeboat.snapshot;

import static dev.lifeboat.snapshot.SnapshotServiceTestBase.EVENT_TIMEOUT;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.asAdmin;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.awaitEvent;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.plain;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.recorder;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.register;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.takeSnapshot;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeboat.events.Audited;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.ApiSecurityContract;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TestCaller;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint of the snapshot-service with no token, each role, an expired token and a token
 * signed by another key; the admin-only changes inside a PUT; the audit record and the WARNING of
 * a deregistration. Tokens are verified for real, against {@link TokenMinter#shared()}'s key.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class ApiSecurityIT extends ApiSecurityContract {
    static Path dir;
    static EtcdServer etcd;
    static String snapshotId;

    /** One endpoint, the least role it needs and what it answers when allowed. */
    record Endpoint(String name, TestCaller least, int success) {}

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET /api/v1/clusters", TestCaller.VIEWER, 200),
            new Endpoint("GET /api/v1/clusters/{id}", TestCaller.VIEWER, 200),
            new Endpoint("PUT /api/v1/clusters/{id}", TestCaller.OPERATOR, 201),
            new Endpoint("DELETE /api/v1/clusters/{id}", TestCaller.ADMIN, 204),
            new Endpoint("POST /api/v1/clusters/{id}/snapshots", TestCaller.OPERATOR, 202),
            new Endpoint("GET /api/v1/clusters/{id}/snapshots", TestCaller.VIEWER, 200),
            new Endpoint("GET /api/v1/clusters/{id}/snapshots/{snapshotId}", TestCaller.VIEWER, 200));

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-security-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
    }

    /** A cluster with one snapshot that the read endpoints are called on (the REST port exists only in tests). */
    static synchronized void ensureBaseCluster() {
        if (snapshotId == null) {
            register("sec-base", plain(etcd.clientUrl()));
            try (TopicRecorder events = recorder()) {
                String id = takeSnapshot("sec-base");
                awaitEvent(events, "sec-base", id, EventTypes.SNAPSHOT_TAKEN);
                snapshotId = id;
            }
        }
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    static Stream<Arguments> everyEndpointAndCaller() {
        List<Arguments> out = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (TestCaller who : TestCaller.values()) {
                out.add(Arguments.of(e.name(), who, e));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEndpointAndCaller")
    void everyEndpointNeedsAValidTokenWithTheRightRole(String name, TestCaller who, Endpoint endpoint) {
        ensureBaseCluster();
        // each call that changes something gets a cluster of its own
        String clusterId = ("sec-" + who.name().toLowerCase().replace('_', '-') + "-" + Math.abs(name.hashCode() % 1000));
        boolean mutates = !name.startsWith("GET");
        String target = mutates ? clusterId : "sec-base";
        if (mutates && !name.startsWith("PUT")) {
            register(target, plain(etcd.clientUrl()));
        }
        Response response = call(as(who), name, target);
        if (!who.authenticated()) {
            response.then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401))
                    .body("detail", not(containsString("expired")));
        } else if (!who.atLeast(endpoint.least())) {
            response.then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        } else {
            response.then().statusCode(endpoint.success());
        }
    }

    private static Response call(RequestSpecification request, String name, String clusterId) {
        String path = name.substring(name.indexOf(' ') + 1).replace("{id}", clusterId)
                .replace("{snapshotId}", snapshotId == null ? "x" : snapshotId);
        return switch (name.substring(0, name.indexOf(' '))) {
            case "GET" -> request.get(path);
            case "PUT" -> request.contentType(ContentType.JSON).body(plain(etcd.clientUrl())).put(path);
            case "DELETE" -> request.delete(path);
            case "POST" -> request.post(path);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void disablingAScheduleOrShrinkingRetentionNeedsAnAdmin() {
        ClusterSpec scheduled = new ClusterSpec(List.of(etcd.clientUrl()), null, "0 * * * *",
                new ClusterSpec.RetentionSpec(24, 24, 7, 4, 12, null, null), null, null, Map.of());
        String clusterId = "sec-weakening";
        as(TestCaller.OPERATOR).contentType(ContentType.JSON).body(scheduled).put("/api/v1/clusters/" + clusterId)
                .then().statusCode(201);
        // growing retention and changing labels is an operator's business
        ClusterSpec grown = new ClusterSpec(List.of(etcd.clientUrl()), null, "*/30 * * * *",
                new ClusterSpec.RetentionSpec(48, 24, 7, 4, 12, 1, null), null, null, Map.of("team", "a"));
        as(TestCaller.OPERATOR).contentType(ContentType.JSON).body(grown).put("/api/v1/clusters/" + clusterId)
                .then().statusCode(200);

        ClusterSpec unscheduled = new ClusterSpec(List.of(etcd.clientUrl()), null, null, grown.retention(), null,
                null, Map.of("team", "a"));
        as(TestCaller.OPERATOR).contentType(ContentType.JSON).body(unscheduled).put("/api/v1/clusters/" + clusterId)
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("disables the schedule"));
        ClusterSpec zeroed = new ClusterSpec(List.of(etcd.clientUrl()), null, grown.schedule(),
                new ClusterSpec.RetentionSpec(0, 0, 0, 0, 0, 0, 0), null, null, Map.of("team", "a"));
        as(TestCaller.OPERATOR).contentType(ContentType.JSON).body(zeroed).put("/api/v1/clusters/" + clusterId)
                .then().statusCode(403).body("detail", containsString("keepLast 48 -> 0"));
        as(TestCaller.OPERATOR).get("/api/v1/clusters/" + clusterId).then().statusCode(200)
                .body("spec.schedule", equalTo("*/30 * * * *")).body("spec.retention.keepLast", equalTo(48));

        try (TopicRecorder events = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.AUDIT, Topics.FAILURES)) {
            as(TestCaller.ADMIN).contentType(ContentType.JSON).body(zeroed).put("/api/v1/clusters/" + clusterId)
                    .then().statusCode(200);
            Audited audited = awaitAudit(events, clusterId, a -> !a.weakening().isEmpty());
            assertThat(audited.actor()).isEqualTo("test-admin");
            assertThat(audited.action()).isEqualTo(Audited.ACTION_UPDATE);
            assertThat(audited.before()).isEqualTo(grown);
            assertThat(audited.after()).isEqualTo(zeroed);
            BackupFailed warning = CloudEventCodec.decode(events.await(r -> clusterId.equals(r.key())
                    && EventTypes.BACKUP_FAILED.equals(CloudEventCodec.header(r.headers(), "ce_type")), EVENT_TIMEOUT),
                    BackupFailed.class);
            assertThat(warning.reason()).isEqualTo(FailureReason.RETENTION_SHRUNK);
            assertThat(warning.severity()).isEqualTo(Severity.WARNING);
            assertThat(warning.stage()).isEqualTo(Stage.REGISTRY);
            assertThat(warning.message()).contains("test-admin").contains("keepLast 48 -> 0");
        }
    }

    @Test
    void deregisteringAClusterWithSnapshotsIsAuditedAndRaisesAWarning() {
        String clusterId = "sec-deregistered";
        register(clusterId, plain(etcd.clientUrl()));
        try (TopicRecorder events = recorder()) {
            awaitEvent(events, clusterId, takeSnapshot(clusterId), EventTypes.SNAPSHOT_TAKEN);
        }
        try (TopicRecorder events = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.AUDIT, Topics.FAILURES)) {
            given().auth().oauth2(TokenMinter.shared().token("alice", TokenMinter.ADMIN))
                    .delete("/api/v1/clusters/" + clusterId).then().statusCode(204);
            ConsumerRecord<String, byte[]> record = events.await(r -> isAudit(r, clusterId,
                    a -> a.action().equals(Audited.ACTION_DEREGISTER)), EVENT_TIMEOUT);
            Audited audited = CloudEventCodec.decode(record, Audited.class);
            assertThat(audited.actor()).isEqualTo("alice");
            assertThat(audited.action()).isEqualTo(Audited.ACTION_DEREGISTER);
            assertThat(audited.before()).isEqualTo(plain(etcd.clientUrl()));
            assertThat(audited.after()).isNull();
            assertThat(audited.intended()).isFalse();
            assertThat(CloudEventCodec.header(record.headers(), "ce_source")).isEqualTo("snapshot-service");
            BackupFailed warning = CloudEventCodec.decode(events.await(r -> clusterId.equals(r.key())
                    && EventTypes.BACKUP_FAILED.equals(CloudEventCodec.header(r.headers(), "ce_type")), EVENT_TIMEOUT),
                    BackupFailed.class);
            assertThat(warning.reason()).isEqualTo(FailureReason.CLUSTER_DEREGISTERED);
            assertThat(warning.severity()).isEqualTo(Severity.WARNING);
            assertThat(warning.message()).contains("alice");
        }
        asAdmin().get("/api/v1/clusters/" + clusterId).then().statusCode(404);
        // still watched (retired) until an admin confirms: then gone for good
        asAdmin().delete("/api/v1/clusters/" + clusterId).then().statusCode(404);
        asAdmin().queryParam("intended", true).delete("/api/v1/clusters/" + clusterId).then().statusCode(204);
        asAdmin().queryParam("intended", true).delete("/api/v1/clusters/" + clusterId).then().statusCode(404);
    }

    static Audited awaitAudit(TopicRecorder events, String clusterId, Predicate<Audited> filter) {
        return CloudEventCodec.decode(events.await(r -> isAudit(r, clusterId, filter), EVENT_TIMEOUT), Audited.class);
    }

    static boolean isAudit(ConsumerRecord<String, byte[]> r, String clusterId, Predicate<Audited> filter) {
        return clusterId.equals(r.key()) && EventTypes.AUDIT.equals(CloudEventCodec.header(r.headers(), "ce_type"))
                && filter.test(CloudEventCodec.decode(r, Audited.class));
    }

    @Override
    protected Optional<String> viewerPath() {
        return Optional.of("/api/v1/clusters");
    }

    @Override
    protected List<String> namedNowhereInHealth() {
        ensureBaseCluster();
        return List.of("sec-base");
    }
}
