package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;

/**
 * The packaged service, stopped or killed during snapshots.
 * <ul>
 * <li>Stopped with SIGTERM while one snapshot streams (from an etcd behind a proxy that stopped
 * forwarding, so it cannot finish) and another waits for the only worker: both are recorded as
 * SERVICE_STOPPING (WARNING), none is a CRITICAL failure, nothing is stored, and the service exits
 * within seconds by its own shutdown, not killed.</li>
 * <li>Killed (SIGKILL) while an on-demand snapshot it answered 202 streams: the next start reports
 * that snapshot once as SNAPSHOT_ABANDONED (WARNING) and ends its record; an on-demand snapshot
 * that finished before the kill is not reported.</li>
 * </ul>
 */
class ServiceStopIT {
    static Path dir;
    static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("service-stop-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        SnapshotFailuresIT.fill(etcd, 2, 10_000);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void aPlannedStopDuringASnapshotIsAWarningAndDropsNothingSilently() throws Exception {
        Map<String, String> config = config("lifeboat.snapshot.max-concurrent", "1",
                "lifeboat.snapshot.shutdown-grace", "PT2S");
        HttpClient http = HttpClient.newHttpClient();
        try (StallingProxy streaming = StallingProxy.to("127.0.0.1", etcd.clientPort());
             StallingProxy queued = StallingProxy.to("127.0.0.1", etcd.clientPort());
             TopicRecorder events = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                     Topics.FAILURES);
             ServiceProcess service = ServiceProcess.start("snapshot-service", Path.of("").toAbsolutePath(), config,
                     dir, Duration.ofSeconds(90))) {
            String base = service.url("");
            streaming.stallAfter(256 * 1024);
            register(http, base, "stop-streaming", streaming.url());
            register(http, base, "stop-queued", queued.url());
            String streamingId = snapshot(http, base, "stop-streaming");
            String queuedId = snapshot(http, base, "stop-queued");
            Awaitility.await("the first snapshot streams").atMost(Duration.ofSeconds(30)).until(() -> streamedBytes(http, base, "stop-streaming") > 0);

            long stopAt = System.nanoTime();
            assertThat(service.stop(Duration.ofSeconds(30))).as("exit code of the planned stop (SIGTERM), not killed:\n%s",
                    service.tail()).isEqualTo(ServiceProcess.STOPPED);
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).as("stopped within the grace period and its records")
                    .isLessThan(Duration.ofSeconds(10));

            for (String[] expected : List.of(new String[] {"stop-streaming", streamingId, "cut short"},
                    new String[] {"stop-queued", queuedId, "before it started"})) {
                ConsumerRecord<String, byte[]> r = events.await(rec -> expected[0].equals(rec.key())
                        && expected[1].equals(CloudEventCodec.header(rec.headers(), "ce_subject")), Duration.ofSeconds(30));
                assertThat(CloudEventCodec.header(r.headers(), "ce_type")).isEqualTo(EventTypes.BACKUP_FAILED);
                BackupFailed failed = CloudEventCodec.decode(r, BackupFailed.class);
                assertThat(failed.reason()).as(expected[0]).isEqualTo(FailureReason.SERVICE_STOPPING);
                assertThat(failed.severity()).isEqualTo(Severity.WARNING);
                assertThat(failed.message()).contains(expected[2]);
            }
            assertThat(events.drain(r -> r.key() != null && r.key().startsWith("stop-"), Duration.ofSeconds(2)))
                    .as("no CRITICAL failure for a planned stop")
                    .allSatisfy(r -> assertThat(CloudEventCodec.decode(r, BackupFailed.class).severity())
                            .isEqualTo(Severity.WARNING));
        }
        var s3 = LifeboatInfrastructure.servers().primary();
        for (String cluster : List.of("stop-streaming", "stop-queued")) {
            assertThat(s3.s3api(LifeboatInfrastructure.BUCKET, "list-objects-v2", "--prefix", "clusters/" + cluster + "/",
                    "--query", "Contents[].Key").trim()).as("objects of %s", cluster).isIn("None", "");
        }
        assertThat(s3.pendingUploadKeys(LifeboatInfrastructure.BUCKET)).noneMatch(k -> k.contains("stop-"));
    }

    @Test
    void anAcceptedSnapshotWhoseReplicaIsKilledIsReportedOnceByTheNextStart() throws Exception {
        Map<String, String> config = config("lifeboat.ownership.session-timeout", "PT6S");
        HttpClient http = HttpClient.newHttpClient();
        String bootstrap = LifeboatInfrastructure.servers().kafka().bootstrapServers();
        try (StallingProxy streaming = StallingProxy.to("127.0.0.1", etcd.clientPort());
             TopicRecorder failures = TopicRecorder.fromEnd(bootstrap, Topics.FAILURES);
             TopicRecorder taken = TopicRecorder.fromEnd(bootstrap, Topics.SNAPSHOTS_TAKEN)) {
            String finishedId;
            String abandonedId;
            try (ServiceProcess first = ServiceProcess.start("snapshot-service", Path.of("").toAbsolutePath(), config,
                    dir.resolve("first"), Duration.ofSeconds(90));
                 // once the service has created it, compacted
                 TopicRecorder records = TopicRecorder.fromEnd(bootstrap, Topics.SNAPSHOTS_ACCEPTED)) {
                String base = first.url("");
                register(http, base, "abandon-finished", etcd.clientUrl());
                finishedId = snapshot(http, base, "abandon-finished");
                taken.await(r -> "abandon-finished".equals(r.key())
                        && finishedId.equals(CloudEventCodec.header(r.headers(), "ce_subject")), Duration.ofSeconds(60));
                records.await(r -> ("abandon-finished/" + finishedId).equals(r.key()) && r.value() == null,
                        Duration.ofSeconds(30));

                streaming.stallAfter(256 * 1024);
                register(http, base, "abandon-killed", streaming.url());
                abandonedId = snapshot(http, base, "abandon-killed");
                records.readToEnd(); // what the topic held when the 202 came
                assertThat(records.records(r -> ("abandon-killed/" + abandonedId).equals(r.key()) && r.value() != null))
                        .as("recorded before the 202").hasSize(1)
                        .allSatisfy(r -> assertThat(new String(r.value())).contains(abandonedId));
                Awaitility.await("the snapshot streams").atMost(Duration.ofSeconds(30))
                        .until(() -> streamedBytes(http, base, "abandon-killed") > 0);
                first.kill();
                Awaitility.await("killed").atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
            }
            assertThat(failures.records(r -> r.key() != null && r.key().startsWith("abandon-")))
                    .as("nothing reported before the restart").isEmpty();

            try (ServiceProcess second = ServiceProcess.start("snapshot-service", Path.of("").toAbsolutePath(), config,
                    dir.resolve("second"), Duration.ofSeconds(90))) {
                ConsumerRecord<String, byte[]> r = failures.await(rec -> "abandon-killed".equals(rec.key())
                        && abandonedId.equals(CloudEventCodec.header(rec.headers(), "ce_subject")), Duration.ofSeconds(90));
                BackupFailed failed = CloudEventCodec.decode(r, BackupFailed.class);
                assertThat(failed.reason()).isEqualTo(FailureReason.SNAPSHOT_ABANDONED);
                assertThat(failed.severity()).isEqualTo(Severity.WARNING);
                assertThat(failed.message()).contains("never ended", "nothing was stored");
                try (TopicRecorder records = TopicRecorder.fromBeginning(bootstrap, Topics.SNAPSHOTS_ACCEPTED)) {
                    records.await(rec -> ("abandon-killed/" + abandonedId).equals(rec.key()) && rec.value() == null,
                            Duration.ofSeconds(30));
                }

                List<ConsumerRecord<String, byte[]>> all = failures.drain(
                        rec -> rec.key() != null && rec.key().startsWith("abandon-"), Duration.ofSeconds(3));
                assertThat(all).as("one report, and none for the snapshot that finished").hasSize(1);
                assertThat(second.stop(Duration.ofSeconds(30))).isEqualTo(ServiceProcess.STOPPED);
            }
        }
        var s3 = LifeboatInfrastructure.servers().primary();
        assertThat(s3.s3api(LifeboatInfrastructure.BUCKET, "list-objects-v2", "--prefix", "clusters/abandon-killed/",
                "--query", "Contents[].Key").trim()).as("nothing of the abandoned snapshot is visible").isIn("None", "");
    }

    /** The shared infrastructure, plaintext etcd, a stall timeout no test reaches, then {@code settings} (name, value…). */
    private static Map<String, String> config(String... settings) {
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.etcd.allow-plaintext", "true");
        config.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        config.put("lifeboat.snapshot.stall-timeout", "PT5M");
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    private static void register(HttpClient http, String base, String clusterId, String endpoint) throws Exception {
        HttpResponse<String> r = http.send(authorized(base + "/api/v1/clusters/" + clusterId)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"" + endpoint + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static String snapshot(HttpClient http, String base, String clusterId) throws Exception {
        HttpResponse<String> r = http.send(authorized(base + "/api/v1/clusters/" + clusterId + "/snapshots")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Matcher m = Pattern.compile("\"snapshotId\":\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    private static HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TokenMinter.adminToken());
    }

    private static double streamedBytes(HttpClient http, String base, String clusterId) throws Exception {
        String metrics = http.send(authorized(base + "/q/metrics").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("lifeboat_snapshot_streamed_bytes\\{cluster=\"" + Pattern.quote(clusterId)
                + "\"[^}]*} (\\S+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
