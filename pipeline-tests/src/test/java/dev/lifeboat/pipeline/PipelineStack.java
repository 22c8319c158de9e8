package dev.lifeboat.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.s3.S3ObjectStore;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TokenMinter;

/**
 * The whole pipeline for fault injection: the shared Kafka broker and two S3 regions of
 * {@link LifeboatInfrastructure}, and the four built services as child JVMs
 * ({@link ServiceProcess}), each configured with short schedules and timeouts so that a fault and
 * its recovery fit in seconds. Services can be killed (SIGKILL) and started again with the same
 * configuration.
 */
final class PipelineStack implements AutoCloseable {
    static final String SNAPSHOT = "snapshot-service";
    static final String VERIFIER = "verifier-service";
    static final String REPLICATOR = "replicator-service";
    static final String RETENTION = "retention-service";
    static final List<String> SERVICES = List.of(SNAPSHOT, VERIFIER, REPLICATOR, RETENTION);
    /** Retention keeps this many snapshots per region (and nothing younger than its grace). */
    static final int KEEP_LAST = 3;
    private static final Duration READY = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
    /**
     * Every service reaches each region through its own proxy ("service/region"), so that a
     * fault can be put between one service and its store: the verifiers' downloads held midway,
     * connections forgotten when idle.
     */
    private final Map<String, StallingProxy> storeProxies = new LinkedHashMap<>();

    private PipelineStack(Path dir) {
        this.dir = dir;
        for (String service : SERVICES) {
            for (String region : List.of(LifeboatInfrastructure.PRIMARY, LifeboatInfrastructure.SECONDARY)) {
                storeProxies.put(service + "/" + region, StallingProxy.to("127.0.0.1", servers().s3(region).port()));
            }
        }
    }

    static PipelineStack start(Path dir) {
        PipelineStack stack = new PipelineStack(dir);
        LifeboatInfrastructure.servers();
        List<CompletableFuture<ServiceProcess>> starting = SERVICES.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> stack.launch(s))).toList();
        try {
            for (int i = 0; i < SERVICES.size(); i++) {
                stack.running.put(SERVICES.get(i), starting.get(i).join());
            }
        } catch (RuntimeException e) {
            starting.forEach(f -> f.thenAccept(ServiceProcess::kill));
            throw e;
        }
        return stack;
    }

    static LifeboatInfrastructure.Servers servers() {
        return LifeboatInfrastructure.servers();
    }

    private ServiceProcess launch(String service) {
        return ServiceProcess.start(service, Path.of("").toAbsolutePath().getParent().resolve(service), config(service),
                dir, READY);
    }

    /** What every service reads, then each one's own short schedules and timeouts. */
    private Map<String, String> config(String service) {
        Map<String, String> c = new HashMap<>(LifeboatInfrastructure.config());
        for (String region : List.of(LifeboatInfrastructure.PRIMARY, LifeboatInfrastructure.SECONDARY)) {
            c.put("lifeboat.regions." + region + ".endpoint", storeProxy(service, region).url());
        }
        c.put("lifeboat.etcd.allow-plaintext", "true");
        c.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        // a killed consumer's partitions go to its restarted self within seconds, not 45 s
        c.put("mp.messaging.connector.smallrye-kafka.session.timeout.ms", "10000");
        c.put("mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", "3000");
        c.put("lifeboat.regions.primary.connection.request-timeout", "PT10S");
        c.put("lifeboat.regions.secondary.connection.request-timeout", "PT10S");
        c.put("lifeboat.events.publish-timeout", "PT5S");
        if (service.equals(RETENTION) || service.equals(REPLICATOR)) {
            // the policy retention enforces and the replicator's reconciliation respects
            c.put("lifeboat.retention.grace", "PT30S");
            c.put("lifeboat.retention.default.keep-last", Integer.toString(KEEP_LAST));
            for (String rule : List.of("hourly", "daily", "weekly", "monthly", "yearly", "max-age-days")) {
                c.put("lifeboat.retention.default." + rule, "0");
            }
        }
        switch (service) {
            case SNAPSHOT -> {
                c.put("lifeboat.snapshot.stall-timeout", "PT15S");
                c.put("lifeboat.snapshot.member-timeout", "PT3S");
                c.put("lifeboat.snapshot.hash-kv-timeout", "PT10S");
                c.put("lifeboat.snapshot.shutdown-grace", "PT5S");
                c.put("lifeboat.snapshot.scheduler-tick", "1s");
            }
            case VERIFIER -> {
                c.put("lifeboat.verifier.work-dir", dir.resolve("verifier-work").toString());
                c.put("lifeboat.verifier.drill.timeout", "PT2M");
                c.put("lifeboat.verifier.store.outage-budget", "PT2M");
                c.put("lifeboat.verifier.store.retry-delay", "PT0.5S");
                c.put("lifeboat.verifier.store.max-retry-delay", "PT3S");
                // a killed verifier's claim expires soon; the sweep finds snapshots nobody announced
                c.put("lifeboat.verifier.claim.ttl", "PT15S");
                c.put("lifeboat.verifier.catch-up.interval", "PT10S");
                c.put("lifeboat.verifier.catch-up.grace", "PT20S");
            }
            case REPLICATOR -> {
                c.put("lifeboat.replicator.retry.budget", "PT2M");
                c.put("lifeboat.replicator.retry.initial-backoff", "PT0.5S");
                c.put("lifeboat.replicator.retry.max-backoff", "PT3S");
                // shorter than the store pools' idle eviction (20 s): a run reuses the last run's connections
                c.put("lifeboat.replicator.reconcile.interval", "PT15S");
                c.put("lifeboat.replicator.registry-wait", "PT20S");
            }
            case RETENTION -> {
                c.put("lifeboat.retention.dry-run", "false");
                c.put("lifeboat.retention.debounce", "PT1S");
                c.put("lifeboat.retention.interval", "10s");
                c.put("lifeboat.retention.watchdog.interval", "10s");
            }
            default -> throw new IllegalArgumentException(service);
        }
        return c;
    }

    /** What stands between the replicas of {@code service} and the S3 server of {@code region}. */
    StallingProxy storeProxy(String service, String region) {
        StallingProxy proxy = storeProxies.get(service + "/" + region);
        if (proxy == null) {
            throw new IllegalArgumentException("no store proxy for " + service + " to " + region);
        }
        return proxy;
    }

    /** Every service's proxy to every region, by "service/region". */
    Map<String, StallingProxy> storeProxies() {
        return storeProxies;
    }

    ServiceProcess service(String name) {
        return running.get(name);
    }

    /** SIGKILL: no shutdown hook runs, Kafka and the stores see the service only go silent. */
    void kill(String name) {
        running.get(name).kill();
    }

    /** Starts the service again with the same configuration (a new port) and waits until it is ready. */
    void restart(String name) {
        ServiceProcess old = running.get(name);
        if (old.isAlive()) {
            throw new IllegalStateException(name + " still runs");
        }
        running.put(name, launch(name));
    }

    /**
     * Starts one more replica of {@code service} under its own name (for its log and working
     * directory), with the same configuration; a second verifier gets its own scratch directory and
     * claim owner, as a second pod would. Waits until it is ready.
     */
    void addReplica(String service, String name) {
        if (running.containsKey(name)) {
            throw new IllegalStateException(name + " runs already");
        }
        Map<String, String> c = config(service);
        if (service.equals(VERIFIER)) {
            c.put("lifeboat.verifier.work-dir", dir.resolve(name + "-work").toString());
            c.put("lifeboat.verifier.instance-id", name);
        }
        running.put(name, ServiceProcess.start(name, Path.of("").toAbsolutePath().getParent().resolve(service), c, dir,
                READY));
    }

    /** The store of a region, through the project's own adapter. */
    static ObjectStore store(String region) {
        S3Server s3 = servers().s3(region);
        return new S3ObjectStore(Region.s3(region, s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                LifeboatInfrastructure.BUCKET));
    }

    /** Registers (or updates) a cluster; {@code body} is the cluster JSON. */
    void register(String clusterId, String body) {
        HttpResponse<String> r = call(SNAPSHOT, "PUT", "/api/v1/clusters/" + clusterId, body, TokenMinter.adminToken());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("PUT " + clusterId + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Asks for a snapshot now; the accepted snapshot id (202). */
    String snapshotNow(String clusterId) {
        HttpResponse<String> r = call(SNAPSHOT, "POST", "/api/v1/clusters/" + clusterId + "/snapshots", null,
                TokenMinter.operatorToken());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST " + clusterId + "/snapshots: " + r.statusCode() + " " + r.body());
        }
        try {
            return EventJson.mapper().readTree(r.body()).path("snapshotId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    HttpResponse<String> call(String service, String method, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.get(service).url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + service + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of each service's log, for a failure message. */
    String tails() {
        StringBuilder b = new StringBuilder();
        running.forEach((name, s) -> b.append("---- ").append(name).append('\n').append(s.tail()).append('\n'));
        return b.toString();
    }

    Path dir() {
        return dir;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("pipeline-faults-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running.values().forEach(s -> s.stop(Duration.ofSeconds(10)));
        storeProxies.values().forEach(StallingProxy::close);
    }
}
