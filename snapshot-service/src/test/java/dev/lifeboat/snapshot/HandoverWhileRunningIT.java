package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.ownership.OwnedPartitions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;

/**
 * A handover whose release times out: one replica of the built snapshot-service runs a scheduled
 * snapshot and an on-demand snapshot of a cluster on every partition of the ownership topic, all
 * held mid-stream by a proxy in front of etcd. A second replica joins; the first gives up half of
 * the partitions after its 3 s release timeout with those snapshots still running. While they run,
 * the new owner neither takes their fire late under a second id nor reports the on-demand ones
 * abandoned, and answers 409 to a new on-demand snapshot; once the proxy lets them finish, every
 * fire has exactly one snapshot (counted with the AWS CLI) and no failure event names a cluster.
 */
class HandoverWhileRunningIT {
    private static final Duration RELEASE = Duration.ofSeconds(3);
    private static final Pattern KEY = Pattern.compile("clusters/(ho-[a-z]+-\\d+)/(\\d{8}T\\d{6}Z-[0-9a-f]{8})/manifest\\.json");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static EtcdServer etcd;
    private static final List<ServiceProcess> replicas = new ArrayList<>();
    private static Map<String, String> config;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("handover-it-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            byte[] value = new byte[16 * 1024];
            for (int i = 0; i < 200; i++) { // 3 MB: each snapshot stream stops early at the proxy
                client.getKVClient().put(ByteSequence.from(("/registry/fill/" + i).getBytes()), ByteSequence.from(value))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.etcd.allow-plaintext", "true");
        config.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        config.put("lifeboat.ownership.release-timeout", RELEASE.toString());
        config.put("lifeboat.snapshot.max-concurrent", "32");
        // the streams are held far longer than a stall would be allowed in production
        config.put("lifeboat.snapshot.stall-timeout", "PT5M");
        config.put("lifeboat.snapshot.keepalive-time", "PT5M");
        replicas.add(start("handover-1"));
    }

    private static ServiceProcess start(String replica) {
        Map<String, String> c = new HashMap<>(config);
        c.put("lifeboat.ownership.replica", replica);
        // 24 snapshots streaming at once, each upload with two 16 MiB part buffers
        return ServiceProcess.start("snapshot-service-" + replica, Path.of("").toAbsolutePath(), c, dir,
                Duration.ofSeconds(120), "1g");
    }

    @AfterAll
    static void stop() {
        replicas.forEach(ServiceProcess::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void snapshotsStillRunningAfterTheReleaseTimeoutAreWaitedForNotTakenAgainNorReportedAbandoned() throws Exception {
        ServiceProcess first = replicas.get(0);
        int partitions = partitions(first)[1];
        // a scheduled and an on-demand cluster on every partition: whichever half moves, both kinds move
        List<String> scheduled = IntStream.range(0, partitions).mapToObj(p -> onPartition("ho-sched-", p, partitions)).toList();
        List<String> onDemand = IntStream.range(0, partitions).mapToObj(p -> onPartition("ho-demand-", p, partitions)).toList();
        try (StallingProxy proxy = StallingProxy.to("127.0.0.1", etcd.clientPort());
             TopicRecorder events = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                     Topics.SNAPSHOTS_TAKEN, Topics.FAILURES)) {
            // one fire time, at least 15 s ahead; daily, so that no second fire comes within the test
            Instant fire = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            ZonedDateTime at = fire.atZone(ZoneOffset.UTC);
            String cron = at.getMinute() + " " + at.getHour() + " * * *";
            for (String c : scheduled) {
                register(first, c, proxy.url(), cron);
            }
            for (String c : onDemand) {
                register(first, c, proxy.url(), null);
            }
            proxy.stallAfter(256 * 1024);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> Instant.now().isAfter(fire));
            // every scheduled snapshot of the fire runs (held)
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduled.stream().allMatch(c -> logged(first,
                    "cluster " + c + ": taking snapshot " + SnapshotIds.timePrefix(fire))));
            Map<String, String> onDemandIds = new TreeMap<>();
            for (String c : onDemand) {
                HttpResponse<String> r = send(first, "POST", "/api/v1/clusters/" + c + "/snapshots", null);
                assertThat(r.statusCode()).as("POST %s: %s", c, r.body()).isEqualTo(202);
                onDemandIds.put(c, EventJson.mapper().readTree(r.body()).path("snapshotId").asText());
            }

            // the second replica joins; the first gives up half the partitions with their snapshots held
            ServiceProcess second = start("handover-2");
            replicas.add(second);
            await().atMost(Duration.ofSeconds(60)).until(() -> partitions(second)[0] > 0
                    && partitions(first)[0] + partitions(second)[0] == partitions);
            Set<Integer> moved = ownedPartitions(second);
            Instant handedOver = Instant.now();
            List<String> movedScheduled = scheduled.stream().filter(c -> moved.contains(OwnedPartitions.partitionOf(c, partitions))).toList();
            List<String> movedOnDemand = onDemand.stream().filter(c -> moved.contains(OwnedPartitions.partitionOf(c, partitions))).toList();
            System.out.printf("handed over at %s with their snapshots running: %s and %s%n", handedOver, movedScheduled,
                    movedOnDemand);
            assertThat(movedScheduled).isNotEmpty();
            assertThat(movedOnDemand).isNotEmpty();

            // while they run there: a new on-demand snapshot is a 409 on either replica, naming the running one
            for (String c : List.of(movedScheduled.get(0), movedOnDemand.get(0))) {
                for (ServiceProcess replica : List.of(second, first)) {
                    HttpResponse<String> busy = send(replica, "POST", "/api/v1/clusters/" + c + "/snapshots", null);
                    assertThat(busy.statusCode()).as("%s for %s while its snapshot runs on the first: %s",
                            replica.name(), c, busy.body()).isEqualTo(409);
                }
            }
            assertThat(send(second, "POST", "/api/v1/clusters/" + movedOnDemand.get(0) + "/snapshots", null).body())
                    .contains(onDemandIds.get(movedOnDemand.get(0)));
            // and for three of the new owner's scheduler ticks and checks, nothing is taken again nor reported
            await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() ->
                    manifests().isEmpty() && ours(events, EventTypes.BACKUP_FAILED, scheduled, onDemand).isEmpty());

            proxy.resume();
            events.awaitCount(r -> isOurs(r, EventTypes.SNAPSHOT_TAKEN, scheduled, onDemand),
                    scheduled.size() + onDemand.size(), Duration.ofSeconds(60));
            // the new owner plans the moved clusters once their snapshots ended: its catch-up finds the fire taken
            await().atMost(Duration.ofSeconds(30)).until(() -> movedScheduled.stream().allMatch(c -> logged(second,
                    "cluster " + c + ": the snapshot that ran on the replica that gave it up has ended; planned now")));
            List<ConsumerRecord<String, byte[]>> taken = events.drain(
                    r -> isOurs(r, EventTypes.SNAPSHOT_TAKEN, scheduled, onDemand), Duration.ofSeconds(15));

            Map<String, List<String>> takenIds = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : taken) {
                SnapshotTaken t = CloudEventCodec.decode(r, SnapshotTaken.class);
                takenIds.computeIfAbsent(t.clusterId(), c -> new ArrayList<>()).add(t.snapshotId());
            }
            Map<String, List<String>> stored = manifests();
            for (String c : scheduled) {
                assertThat(takenIds.get(c)).as("snapshot.taken events of %s", c).hasSize(1);
                assertThat(stored.get(c)).as("manifests of %s in the primary region", c).hasSize(1);
                assertThat(SnapshotIds.timeOf(stored.get(c).get(0))).as("the snapshot of %s is the fire's", c)
                        .isEqualTo(fire);
            }
            for (String c : onDemand) {
                assertThat(takenIds.get(c)).as("snapshot.taken events of %s", c).containsExactly(onDemandIds.get(c));
                assertThat(stored.get(c)).as("manifests of %s", c).containsExactly(onDemandIds.get(c));
            }
            assertThat(ours(events, EventTypes.BACKUP_FAILED, scheduled, onDemand))
                    .as("failure events of the clusters handed over while their snapshots ran").isEmpty();
            System.out.printf("every held snapshot ended on %s, %d s after the handover; one snapshot per fire%n",
                    first.name(), Duration.between(handedOver, Instant.now()).toSeconds());
        }
    }

    private static String onPartition(String prefix, int partition, int partitions) {
        return IntStream.range(0, 10_000).mapToObj(i -> prefix + i)
                .filter(id -> OwnedPartitions.partitionOf(id, partitions) == partition).findFirst().orElseThrow();
    }

    private static boolean isOurs(ConsumerRecord<String, byte[]> r, String type, List<String> a, List<String> b) {
        return r.key() != null && (a.contains(r.key()) || b.contains(r.key()))
                && type.equals(CloudEventCodec.header(r.headers(), "ce_type"));
    }

    private static List<String> ours(TopicRecorder events, String type, List<String> a, List<String> b) {
        return events.records(r -> isOurs(r, type, a, b)).stream()
                .map(r -> r.key() + ": " + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private static boolean logged(ServiceProcess replica, String text) {
        try {
            return Files.readString(replica.log()).contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void register(ServiceProcess replica, String clusterId, String endpoint, String cron) throws Exception {
        String body = "{\"endpoints\":[\"" + endpoint + "\"]," + (cron == null ? "" : "\"schedule\":\"" + cron + "\",")
                + "\"labels\":{\"env\":\"handover\"}}";
        HttpResponse<String> r = send(replica, "PUT", "/api/v1/clusters/" + clusterId, body);
        assertThat(r.statusCode()).as("PUT %s: %s", clusterId, r.body()).isIn(200, 201);
    }

    private static HttpResponse<String> send(ServiceProcess replica, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(replica.url(path)))
                .header("Authorization", "Bearer " + TokenMinter.adminToken())
                .timeout(Duration.ofSeconds(20));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The replica's owned partitions and the ownership topic's partition count, from its readiness. */
    private static int[] partitions(ServiceProcess replica) throws IOException, InterruptedException {
        Matcher m = partitionsReport(replica);
        if (m == null) {
            return new int[] {-1, 0};
        }
        int owned = m.group(1).isBlank() ? 0 : m.group(1).split(",").length;
        return new int[] {owned, Integer.parseInt(m.group(2))};
    }

    private static Set<Integer> ownedPartitions(ServiceProcess replica) throws IOException, InterruptedException {
        Matcher m = partitionsReport(replica);
        if (m == null || m.group(1).isBlank()) {
            return Set.of();
        }
        return java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).map(Integer::valueOf)
                .collect(Collectors.toSet());
    }

    private static Matcher partitionsReport(ServiceProcess replica) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : EventJson.mapper().readTree(r.body()).path("checks")) {
            if ("cluster-ownership".equals(check.path("name").asText())) {
                Matcher m = Pattern.compile("\\[([^\\]]*)] of (\\d+)").matcher(check.path("data").path("partitions").asText());
                if (m.matches()) {
                    return m;
                }
            }
        }
        return null;
    }

    /** Every manifest under clusters/ho-*, listed with the AWS CLI, by cluster. */
    private static Map<String, List<String>> manifests() {
        String out = Commands.check(List.of("env", "AWS_ACCESS_KEY_ID=" + S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY=" + S3Server.SECRET_KEY, "AWS_DEFAULT_REGION=us-east-1",
                "aws", "--endpoint-url", LifeboatInfrastructure.servers().primary().endpoint(), "s3api",
                "list-objects-v2", "--bucket", LifeboatInfrastructure.BUCKET, "--prefix", "clusters/ho-",
                "--query", "Contents[].Key", "--output", "text"));
        Map<String, List<String>> found = new TreeMap<>();
        for (String key : out.split("\\s+")) {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                found.computeIfAbsent(m.group(1), c -> new ArrayList<>()).add(m.group(2));
            }
        }
        return found;
    }
}
