package dev.lifeboat.deploy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.common.etcd.LoopbackPorts;
import dev.lifeboat.testing.KafkaBroker;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.ServerProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

/**
 * For each etcd size (MB): (a) {@code etcdctl snapshot save} to local disk, (b) (a) followed by an
 * upload of the file to the same S3 store, (c) a Lifeboat on-demand snapshot until its manifest is
 * visible; and the snapshot-service's peak RSS (VmHWM), a fresh service per size.
 * {@code SnapshotBenchmark <work-dir> <snapshot-service quarkus-run.jar> <sizeMB>...}
 */
public final class SnapshotBenchmark {
    private SnapshotBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SnapshotBenchmark <work-dir> <quarkus-run.jar> <sizeMB>...");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
             S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            ObjectStore store = Regions.open(Region.s3("primary", s3.endpoint(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "lifeboat"));
            store.ensureBucket();
            System.out.printf("%-8s %-10s %12s %12s %12s %10s %14s%n", "size MB", "db bytes", "(a) save s",
                    "(b) +upload s", "(c) lifeboat s", "(c)/(b)", "service RSS MB");
            for (int i = 2; i < args.length; i++) {
                int mb = Integer.parseInt(args[i]);
                run(dir.resolve("etcd-" + mb), jar, kafka, s3, store, mb);
            }
        }
    }

    private static void run(Path dir, Path jar, KafkaBroker kafka, S3Server s3, ObjectStore store, int mb)
            throws Exception {
        try (EtcdServer etcd = EtcdServer.start(dir)) {
            long dbSize = fill(etcd, mb);

            Path file = dir.resolve("save.db");
            long t0 = System.nanoTime();
            etcd.etcdctl("snapshot", "save", file.toString());
            double save = seconds(t0);
            long t1 = System.nanoTime();
            etcd.etcdctl("snapshot", "save", dir.resolve("save2.db").toString());
            try (InputStream in = Files.newInputStream(dir.resolve("save2.db"))) {
                store.put("bench/" + mb + "/baseline.db", in, Files.size(dir.resolve("save2.db")),
                        "application/octet-stream");
            }
            double saveUpload = seconds(t1);
            Files.delete(file);
            Files.delete(dir.resolve("save2.db"));

            int port = LoopbackPorts.next();
            ServerProcess service = ServerProcess.start("snapshot-service", List.of(ServerProcess.javaExecutable(),
                    "-Xmx256m", "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "-Dlifeboat.primary-region=primary",
                    "-Dlifeboat.regions.primary.endpoint=" + s3.endpoint(),
                    "-Dlifeboat.regions.primary.access-key=" + S3Server.ACCESS_KEY,
                    "-Dlifeboat.regions.primary.secret-key=" + S3Server.SECRET_KEY,
                    "-Dlifeboat.regions.primary.bucket=lifeboat",
                    "-jar", jar.toString()), dir.resolve("snapshot-service.log"));
            try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + port + "/api/v1/clusters/bench-" + mb;
                service.awaitReady(() -> ok(http, "http://127.0.0.1:" + port + "/q/health/ready"), Duration.ofSeconds(90));
                send(http, HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"" + etcd.clientUrl() + "\"]}")));
                long t2 = System.nanoTime();
                String body = send(http, HttpRequest.newBuilder(URI.create(base + "/snapshots"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                Matcher m = Pattern.compile("\"snapshotId\":\"([^\"]+)\"").matcher(body);
                if (!m.find()) {
                    throw new IllegalStateException("no snapshot id in " + body);
                }
                String manifest = SnapshotLayout.manifestKey("bench-" + mb, m.group(1));
                while (store.stat(manifest).isEmpty()) {
                    if (seconds(t2) > 600) {
                        throw new IllegalStateException("no manifest after 600 s; see " + service.log());
                    }
                    Thread.sleep(20);
                }
                double lifeboat = seconds(t2);
                long rssKb = vmHwmKb(service.pid());
                System.out.printf("%-8d %-10d %12.2f %12.2f %12.2f %10.2f %14.1f%n", mb, dbSize, save, saveUpload,
                        lifeboat, lifeboat / saveUpload, rssKb / 1024.0);
            } finally {
                service.close();
            }
        }
    }

    /** Writes random 100 KB values until etcd's database is about {@code mb} MB. */
    private static long fill(EtcdServer etcd, int mb) {
        Random random = new Random(mb);
        byte[] value = new byte[100_000];
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            long target = mb * 1024L * 1024L;
            long size = 0;
            int key = 0;
            while (size < target) {
                List<CompletableFuture<?>> batch = new ArrayList<>();
                for (int i = 0; i < 64; i++, key++) {
                    random.nextBytes(value);
                    batch.add(client.getKVClient().put(ByteSequence.from(("/registry/bench/" + key).getBytes()),
                            ByteSequence.from(value)));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                size = client.getMaintenanceClient().statusMember(etcd.clientUrl()).join().getDbSize();
            }
            return size;
        }
    }

    private static long vmHwmKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static boolean ok(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
