package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;

/**
 * A snapshot that waits longer than {@code max-queue-time} for a worker is not taken, and says
 * so: the built service with one worker, held by a snapshot whose etcd stops sending (it ends as
 * SNAPSHOT_STALLED), while another cluster's on-demand snapshot waits behind it. That one is a
 * QUEUED_TOO_LONG failure event and metric, with its queue time on the queue timer, and nothing
 * stored; once the worker is free, the same cluster's next snapshot is taken as usual.
 */
class QueueTimeIT {
    private static final Duration MAX_QUEUE = Duration.ofSeconds(2);
    private static final Duration STALL = Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path dir;
    static EtcdServer stalled;
    static EtcdServer healthy;
    static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("queue-time-it-");
        stalled = EtcdServer.start(dir.resolve("etcd-stalled"));
        healthy = EtcdServer.start(dir.resolve("etcd-healthy"));
        try (Client client = Client.builder().endpoints(stalled.clientUrl()).build()) {
            byte[] value = new byte[16 * 1024];
            for (int i = 0; i < 200; i++) {
                client.getKVClient().put(ByteSequence.from(("/registry/fill/" + i).getBytes()), ByteSequence.from(value))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.etcd.allow-plaintext", "true");
        config.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        config.put("lifeboat.snapshot.max-concurrent", "1");
        config.put("lifeboat.snapshot.max-queue-time", MAX_QUEUE.toString());
        config.put("lifeboat.snapshot.stall-timeout", STALL.toString());
        service = ServiceProcess.start("snapshot-service-queue", Path.of("").toAbsolutePath(), config, dir,
                Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        stalled.close();
        healthy.close();
    }

    @Test
    void aSnapshotThatWaitsTooLongForAWorkerIsQueuedTooLongAndTheNextOneIsTaken() throws Exception {
        try (StallingProxy proxy = StallingProxy.to("127.0.0.1", stalled.clientPort());
             TopicRecorder events = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                     Topics.SNAPSHOTS_TAKEN, Topics.FAILURES)) {
            proxy.stallAfter(256 * 1024);
            register("queue-holder", proxy.url());
            register("queue-waiter", healthy.clientUrl());
            // the ownership group gives this one replica every cluster before it takes snapshots
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> send("POST", "/api/v1/clusters/queue-holder/snapshots").statusCode() == 202);
            HttpResponse<String> queued = send("POST", "/api/v1/clusters/queue-waiter/snapshots");
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            String waiterId = EventJson.mapper().readTree(queued.body()).path("snapshotId").asText();

            ConsumerRecord<String, byte[]> failure = events.await(r -> "queue-waiter".equals(r.key())
                    && EventTypes.BACKUP_FAILED.equals(CloudEventCodec.header(r.headers(), "ce_type")),
                    STALL.plusSeconds(60));
            BackupFailed failed = CloudEventCodec.decode(failure, BackupFailed.class);
            assertThat(failed.snapshotId()).isEqualTo(waiterId);
            assertThat(failed.reason()).isEqualTo(FailureReason.QUEUED_TOO_LONG);
            assertThat(failed.message()).contains("for a free worker").contains("limit " + MAX_QUEUE.toSeconds() + " s");
            ConsumerRecord<String, byte[]> holder = events.await(r -> "queue-holder".equals(r.key())
                    && EventTypes.BACKUP_FAILED.equals(CloudEventCodec.header(r.headers(), "ce_type")), STALL.plusSeconds(60));
            assertThat(CloudEventCodec.decode(holder, BackupFailed.class).reason()).isEqualTo(FailureReason.SNAPSHOT_STALLED);

            String metrics = metrics();
            assertThat(metrics).contains("lifeboat_snapshot_failures_total{cluster=\"queue-waiter\",reason=\"QUEUED_TOO_LONG\",severity=\"WARNING\"} 1.0");
            assertThat(queueSecondsMax(metrics, "queue-waiter")).as("queue time of the waiter").isGreaterThan(MAX_QUEUE.toSeconds());
            HttpResponse<String> catalog = send("GET", "/api/v1/clusters/queue-waiter/snapshots");
            assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(200);
            assertThat(EventJson.mapper().readTree(catalog.body()).size()).as("stored for the waiter: %s", catalog.body()).isZero();

            // the worker is free again: the waiter's next snapshot is taken, without a failure
            HttpResponse<String> again = send("POST", "/api/v1/clusters/queue-waiter/snapshots");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            String againId = EventJson.mapper().readTree(again.body()).path("snapshotId").asText();
            ConsumerRecord<String, byte[]> next = events.await(r -> "queue-waiter".equals(r.key())
                    && againId.equals(CloudEventCodec.header(r.headers(), "ce_subject")), Duration.ofSeconds(60));
            assertThat(CloudEventCodec.header(next.headers(), "ce_type")).isEqualTo(EventTypes.SNAPSHOT_TAKEN);
            assertThat(CloudEventCodec.decode(next, SnapshotTaken.class).clusterId()).isEqualTo("queue-waiter");
        }
    }

    private static double queueSecondsMax(String metrics, String clusterId) {
        Matcher m = Pattern.compile("lifeboat_snapshot_queue_seconds_max\\{cluster=\"" + clusterId + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(m.find()).as("queue timer of %s in:%n%s", clusterId, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void register(String clusterId, String endpoint) throws Exception {
        HttpRequest put = HttpRequest.newBuilder(URI.create(service.url("/api/v1/clusters/" + clusterId)))
                .header("Authorization", "Bearer " + TokenMinter.adminToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"" + endpoint + "\"]}"))
                .timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> r = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("PUT %s: %s", clusterId, r.body()).isIn(200, 201);
    }

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url(path)))
                .header("Authorization", "Bearer " + TokenMinter.adminToken())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/metrics")))
                .header("Authorization", "Bearer " + TokenMinter.metricsToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
