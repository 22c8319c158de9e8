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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.ownership.OwnedPartitions;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.store.SnapshotIds;

/**
 * Two replicas of the built snapshot-service share 30 clusters (on three real etcd processes) on a
 * one-minute schedule: every minute gives exactly one snapshot per cluster, counted in the
 * primary region with the AWS CLI and on {@code lifeboat.snapshots.taken}. One replica is then
 * killed with SIGKILL just before a fire time: the survivor takes the dead one's clusters within
 * the handover bound, that fire late rather than never, and the next minute on time. Before
 * that, an on-demand snapshot asked on one replica is a 409 on both while it runs, and one asked
 * for a cluster registered on the asked replica but unknown to its owner is a 503, not a 404.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final int CLUSTERS = 30;
    private static final Duration SESSION = Duration.ofSeconds(10);
    /** Session timeout + heartbeat interval + rebalance + scheduler tick (5 s) + taking a small snapshot. */
    private static final Duration HANDOVER_BOUND = Duration.ofSeconds(30);
    private static final Pattern KEY = Pattern.compile("clusters/(scale-\\d+)/(\\d{8}T\\d{6}Z-[0-9a-f]{8})/manifest\\.json");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static final List<EtcdServer> etcds = new ArrayList<>();
    private static final List<ServiceProcess> replicas = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("scale-out-it-");
        for (int i = 0; i < 3; i++) {
            etcds.add(EtcdServer.start(dir.resolve("etcd-" + i)));
        }
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.etcd.allow-plaintext", "true");
        config.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        config.put("lifeboat.ownership.session-timeout", SESSION.toString());
        // the second replica admits IP literals only, so it never reads a registration that names a
        // host name: a replica that owns a cluster without having read its registration, for good
        Map<String, String> ipOnly = new HashMap<>(config);
        ipOnly.put("lifeboat.etcd.allowed-endpoints", "127.0.0.0/8");
        Path module = Path.of("").toAbsolutePath();
        List<CompletableFuture<ServiceProcess>> starting = IntStream.rangeClosed(1, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> ServiceProcess.start("snapshot-service-" + i, module,
                        i == 1 ? config : ipOnly, dir, Duration.ofSeconds(120))))
                .toList();
        for (CompletableFuture<ServiceProcess> s : starting) {
            replicas.add(s.join());
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(ServiceProcess::close);
        etcds.forEach(EtcdServer::close);
    }

    private static String clusterId(int i) {
        return String.format("scale-%02d", i);
    }

    @Test
    @Order(1)
    void anOnDemandSnapshotRunningOnTheOwnerIsA409OnEitherReplica() throws Exception {
        // a snapshot that keeps running: etcd behind a proxy that stops forwarding after 256 KiB
        EtcdServer etcd = EtcdServer.start(dir.resolve("etcd-on-demand"));
        etcds.add(etcd);
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            byte[] value = new byte[16 * 1024];
            for (int i = 0; i < 200; i++) {
                client.getKVClient().put(ByteSequence.from(("/registry/fill/" + i).getBytes()), ByteSequence.from(value))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        try (StallingProxy proxy = StallingProxy.to("127.0.0.1", etcd.clientPort())) {
            proxy.stallAfter(256 * 1024);
            String clusterId = "on-demand";
            HttpResponse<String> put = send(replicas.get(0), "PUT", "/api/v1/clusters/" + clusterId,
                    "{\"endpoints\":[\"" + proxy.url() + "\"],\"labels\":{\"env\":\"scale\"}}");
            assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
            // one of the two replicas owns the cluster and decides; the other forwards to it
            ServiceProcess first = replicas.get(0);
            ServiceProcess second = replicas.get(1);
            long asked = System.nanoTime();
            HttpResponse<String> accepted = send(first, "POST", "/api/v1/clusters/" + clusterId + "/snapshots", null);
            Duration forwarded = Duration.ofNanos(System.nanoTime() - asked);
            assertThat(accepted.statusCode()).as("forwarded to the owner: %s", accepted.body()).isEqualTo(202);
            String snapshotId = EventJson.mapper().readTree(accepted.body()).path("snapshotId").asText();
            for (ServiceProcess replica : List.of(second, first)) {
                HttpResponse<String> busy = send(replica, "POST", "/api/v1/clusters/" + clusterId + "/snapshots", null);
                assertThat(busy.statusCode()).as("%s while %s runs: %s", replica.name(), snapshotId, busy.body())
                        .isEqualTo(409);
                assertThat(busy.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(busy.body()).contains(snapshotId);
            }
            // a figure, not a limit: the 202 itself says the owner answered within the forwarding's
            // 5 s request timeout (the first forward also pays the replies consumer's first fetch)
            System.out.printf("on-demand request answered 202 in %d ms%n", forwarded.toMillis());
        }
    }

    @Test
    @Order(2)
    void anOnDemandSnapshotOfAClusterItsOwnerHasNotReadIsA503NotA404() throws Exception {
        ServiceProcess asked = replicas.get(0);
        ServiceProcess owner = replicas.get(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions(owner)[0] > 0
                && partitions(asked)[0] + partitions(owner)[0] == partitions(asked)[1]);
        // a cluster id on a partition the second replica owns
        Set<Integer> ownerPartitions = ownedPartitions(owner);
        int count = partitions(owner)[1];
        String clusterId = IntStream.range(0, 1000).mapToObj(i -> "unread-" + i)
                .filter(id -> ownerPartitions.contains(OwnedPartitions.partitionOf(id, count)))
                .findFirst().orElseThrow();
        HttpResponse<String> put = send(asked, "PUT", "/api/v1/clusters/" + clusterId,
                "{\"endpoints\":[\"http://localhost:2379\"],\"labels\":{\"env\":\"scale\"}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        try {
            assertThat(send(asked, "GET", "/api/v1/clusters/" + clusterId, null).statusCode()).isEqualTo(200);
            assertThat(send(owner, "GET", "/api/v1/clusters/" + clusterId, null).statusCode())
                    .as("the owner rejected the registration").isEqualTo(404);

            long start = System.nanoTime();
            HttpResponse<String> post = send(asked, "POST", "/api/v1/clusters/" + clusterId + "/snapshots", null);
            Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("on-demand request for a cluster its owner has not read answered %d in %d ms%n",
                    post.statusCode(), answeredIn.toMillis());
            assertThat(post.statusCode()).as(post.body()).isEqualTo(503);
            assertThat(post.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = EventJson.mapper().readTree(post.body());
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            assertThat(problem.path("detail").asText()).contains(clusterId, "is registered", "has not read",
                    "try again");
            // asked again until the request timeout (5 s), not answered at the owner's first word
            assertThat(answeredIn).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        } finally {
            send(asked, "DELETE", "/api/v1/clusters/" + clusterId, null);
        }
    }

    @Test
    @Order(3)
    void exactlyOneSnapshotPerClusterAndMinuteWithTwoReplicasAndAfterOneIsKilled() throws Exception {
        try (TopicRecorder taken = new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.SNAPSHOTS_TAKEN, Topics.FAILURES)) {
            for (int i = 0; i < CLUSTERS; i++) {
                register(replicas.get(i % 2), clusterId(i), etcds.get(i % 3).clientUrl());
            }
            // both replicas share the ownership topic's partitions (the module's other tests register
            // clusters in the same registry, so partitions, not cluster counts, are compared)
            await().atMost(Duration.ofSeconds(30)).until(() -> partitions(replicas.get(0))[0] > 0
                    && partitions(replicas.get(1))[0] > 0
                    && partitions(replicas.get(0))[0] + partitions(replicas.get(1))[0] == partitions(replicas.get(0))[1]);
            int ownedByKilled = owned(replicas.get(1));
            int registered = owned(replicas.get(0)) + ownedByKilled;

            Instant first = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            List<Instant> fires = List.of(first, first.plusSeconds(60), first.plusSeconds(120), first.plusSeconds(180));
            // two minutes with both replicas, then a crash 3 s before the third fire
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Instant.now().isAfter(fires.get(2).minusSeconds(3)));
            replicas.get(1).kill();
            Instant killedAt = Instant.now();
            System.out.printf("killed %s (owning %d of %d clusters) at %s, %d ms before the fire of %s%n",
                    replicas.get(1).name(), ownedByKilled, registered, killedAt,
                    Duration.between(killedAt, fires.get(2)).toMillis(), fires.get(2));

            await().atMost(SESSION.plusSeconds(20)).until(() -> partitions(replicas.get(0))[0] == partitions(replicas.get(0))[1]);
            System.out.printf("survivor owns all %d clusters %d ms after the kill%n", registered,
                    Duration.between(killedAt, Instant.now()).toMillis());

            // every fire of every cluster: one snapshot.taken event; the last fire's before its deadline
            List<ConsumerRecord<String, byte[]>> events = taken.awaitCount(r -> isOurs(r, EventTypes.SNAPSHOT_TAKEN)
                    && !SnapshotIds.timeOf(subject(r)).isBefore(first), CLUSTERS * fires.size(),
                    Duration.between(Instant.now(), fires.get(3).plus(HANDOVER_BOUND)).plusSeconds(30));
            List<ConsumerRecord<String, byte[]>> all = taken.drain(r -> isOurs(r, EventTypes.SNAPSHOT_TAKEN), Duration.ofSeconds(3));

            Map<String, Map<Instant, List<String>>> eventIds = new TreeMap<>();
            Duration latest = Duration.ZERO;
            Map<Instant, Duration> latestPerFire = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : all) {
                SnapshotTaken t = CloudEventCodec.decode(r, SnapshotTaken.class);
                Instant fire = SnapshotIds.timeOf(t.snapshotId());
                eventIds.computeIfAbsent(t.clusterId(), c -> new TreeMap<>()).computeIfAbsent(fire, f -> new ArrayList<>())
                        .add(t.snapshotId());
                assertThat(t.trigger()).isEqualTo("SCHEDULE");
                Duration after = Duration.between(fire, t.takenAt());
                if (after.compareTo(latest) > 0) {
                    latest = after;
                }
                latestPerFire.merge(fire, after, (a, b) -> a.compareTo(b) > 0 ? a : b);
            }
            System.out.printf("%d snapshot.taken events; the last snapshot of each fire started after it by: %s%n",
                    all.size(), latestPerFire);
            Map<String, Map<Instant, List<String>>> manifests = manifestsInPrimary();
            for (int i = 0; i < CLUSTERS; i++) {
                String c = clusterId(i);
                for (Instant fire : fires) {
                    assertThat(eventIds.getOrDefault(c, Map.of()).getOrDefault(fire, List.of()))
                            .as("snapshot.taken events of %s for %s", c, fire).hasSize(1);
                    assertThat(manifests.getOrDefault(c, Map.of()).getOrDefault(fire, List.of()))
                            .as("manifests of %s for %s in the primary region", c, fire).hasSize(1);
                }
                // and no fire, before or after those four, has a second snapshot
                manifests.getOrDefault(c, Map.of()).forEach((fire, ids) -> assertThat(ids)
                        .as("manifests of %s for %s", c, fire).hasSize(1));
                eventIds.getOrDefault(c, Map.of()).forEach((fire, ids) -> assertThat(ids)
                        .as("snapshot.taken events of %s for %s", c, fire).hasSize(1));
                assertThat(manifests.getOrDefault(c, Map.of()).keySet()).as("snapshots of %s are for fire times", c)
                        .allMatch(f -> f.getEpochSecond() % 60 == 0);
            }
            assertThat(latest).as("lateness of the fire during the handover").isLessThanOrEqualTo(HANDOVER_BOUND);
            assertThat(events).hasSizeGreaterThanOrEqualTo(CLUSTERS * fires.size());
            assertThat(taken.drain(r -> isOurs(r, EventTypes.BACKUP_FAILED), Duration.ZERO))
                    .as("failure events of healthy clusters").isEmpty();
        }
    }

    private static boolean isOurs(ConsumerRecord<String, byte[]> r, String type) {
        return r.key() != null && r.key().startsWith("scale-") && type.equals(CloudEventCodec.header(r.headers(), "ce_type"));
    }

    private static String subject(ConsumerRecord<String, byte[]> r) {
        return CloudEventCodec.header(r.headers(), "ce_subject");
    }

    private static void register(ServiceProcess replica, String clusterId, String endpoint) throws Exception {
        String body = "{\"endpoints\":[\"" + endpoint + "\"],\"schedule\":\"* * * * *\",\"labels\":{\"env\":\"scale\"}}";
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

    /** How many registered clusters the replica says it owns (its readiness report). */
    /** The replica's owned partitions and the ownership topic's partition count, from its readiness ("[0, 3] of 12"). */
    private static int[] partitions(ServiceProcess replica) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : EventJson.mapper().readTree(r.body()).path("checks")) {
            if ("cluster-ownership".equals(check.path("name").asText())) {
                Matcher m = Pattern.compile("\\[([^\\]]*)] of (\\d+)").matcher(check.path("data").path("partitions").asText());
                if (m.matches()) {
                    int owned = m.group(1).isBlank() ? 0 : m.group(1).split(",").length;
                    return new int[] {owned, Integer.parseInt(m.group(2))};
                }
            }
        }
        return new int[] {-1, 0};
    }

    /** The ownership topic's partitions the replica owns, from its readiness. */
    private static Set<Integer> ownedPartitions(ServiceProcess replica) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : EventJson.mapper().readTree(r.body()).path("checks")) {
            if ("cluster-ownership".equals(check.path("name").asText())) {
                Matcher m = Pattern.compile("\\[([^\\]]*)] of (\\d+)").matcher(check.path("data").path("partitions").asText());
                if (m.matches() && !m.group(1).isBlank()) {
                    return Arrays.stream(m.group(1).split(",")).map(String::trim).map(Integer::valueOf)
                            .collect(Collectors.toSet());
                }
            }
        }
        return Set.of();
    }

    private static int owned(ServiceProcess replica) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : EventJson.mapper().readTree(r.body()).path("checks")) {
            if ("cluster-ownership".equals(check.path("name").asText())) {
                return check.path("data").path("owned-clusters").asInt();
            }
        }
        return -1;
    }

    /** Every manifest under clusters/scale-*, listed with the AWS CLI, by cluster and fire time. */
    private static Map<String, Map<Instant, List<String>>> manifestsInPrimary() {
        String out = Commands.check(List.of("env", "AWS_ACCESS_KEY_ID=" + S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY=" + S3Server.SECRET_KEY, "AWS_DEFAULT_REGION=us-east-1",
                "aws", "--endpoint-url", LifeboatInfrastructure.servers().primary().endpoint(), "s3api",
                "list-objects-v2", "--bucket", LifeboatInfrastructure.BUCKET, "--prefix", "clusters/scale-",
                "--query", "Contents[].Key", "--output", "text"));
        Map<String, Map<Instant, List<String>>> found = new TreeMap<>();
        for (String key : out.split("\\s+")) {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                found.computeIfAbsent(m.group(1), c -> new TreeMap<>())
                        .computeIfAbsent(SnapshotIds.timeOf(m.group(2)), f -> new ArrayList<>()).add(m.group(2));
            }
        }
        return found;
    }
}
