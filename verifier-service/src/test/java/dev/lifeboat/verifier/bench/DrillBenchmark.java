package dev.lifeboat.verifier.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.verifier.drill.DrillExpectation;
import dev.lifeboat.verifier.drill.DrillReport;
import dev.lifeboat.verifier.drill.DrillSettings;
import dev.lifeboat.verifier.drill.LiveDrills;
import dev.lifeboat.verifier.drill.RestoreDrill;
import dev.lifeboat.inspect.SnapshotInspection;
import dev.lifeboat.inspect.SnapshotInspector;
import dev.lifeboat.verifier.download.DownloadedSnapshot;
import dev.lifeboat.verifier.download.SnapshotDownloader;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

/**
 * The verification of a large snapshot, timed part by part: download from a local S3 server,
 * the Java status computation next to {@code etcdctl snapshot status}, and the restore drill
 * (restore, etcd start, read-back). Not part of the test suite: {@code deploy/bench/verifier-drill.sh}
 * runs it with {@code -Dbench.size-mb=N}.
 */
class DrillBenchmark {
    private static final int VALUE_BYTES = 100 * 1024;

    @TempDir
    Path dir;

    @Test
    void verifyALargeSnapshot() throws Exception {
        String size = System.getProperty("bench.size-mb");
        Assumptions.assumeTrue(size != null, "run through deploy/bench/verifier-drill.sh");
        long targetBytes = Long.parseLong(size) * 1024 * 1024;

        Path snapshot = dir.resolve("snapshot.db");
        long t = System.nanoTime();
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
            fill(etcd, targetBytes);
            etcd.etcdctl("snapshot", "save", snapshot.toString());
        }
        print("fill + snapshot save", t);
        System.out.printf("BENCH snapshot size: %d MB%n", Files.size(snapshot) / (1024 * 1024));

        S3Server s3 = S3Server.start(dir.resolve("s3"));
        try {
            ObjectStore store = Regions.open(Region.s3("bench", s3.endpoint(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "lifeboat"));
            store.ensureBucket();
            try (InputStream in = Files.newInputStream(snapshot)) {
                store.put("bench/snapshot.db", in, -1, "application/octet-stream");
            }
            DownloadedSnapshot downloaded = SnapshotDownloader.download(store, "bench/snapshot.db", SnapshotEncoding.IDENTITY, dir.resolve("downloads"));
            System.out.printf("BENCH download (S3Proxy -> file, with sha256): %d ms%n", downloaded.millis());

            t = System.nanoTime();
            SnapshotInspection inspection = SnapshotInspector.inspect(downloaded.file(), 64);
            print("java status + live keys + content report", t);
            t = System.nanoTime();
            Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "status", "-w", "json",
                    downloaded.file().toString()));
            print("etcdctl snapshot status", t);

            RestoreDrill drill = new RestoreDrill(new DrillSettings(EtcdServer.etcdBinary(), EtcdServer.etcdctlBinary(),
                    dir.resolve("drills"), Duration.ofMinutes(10), 1), new LiveDrills());
            DrillReport report = drill.run(downloaded.file(), DrillExpectation.of(inspection, List.of()));
            System.out.printf("BENCH drill restore (etcdctl snapshot restore): %d ms%n", report.restoreMillis());
            System.out.printf("BENCH drill etcd start until first read: %d ms%n", report.startMillis());
            System.out.printf("BENCH drill read-back (%d live keys counted, %d sampled values): %d ms%n",
                    report.liveKeys(), report.sampledKeys(), report.readBackMillis());
            System.out.printf("BENCH measured RTO (download + restore + start): %d ms%n",
                    report.toEvent(downloaded.millis()).rtoMillis());
        } finally {
            s3.close();
        }
    }

    /** Random (incompressible) 100 KiB values until the database holds about {@code bytes}. */
    private static void fill(EtcdServer etcd, long bytes) throws Exception {
        Random random = new Random(42);
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            List<CompletableFuture<?>> batch = new ArrayList<>();
            for (long i = 0; i * VALUE_BYTES < bytes; i++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                batch.add(client.getKVClient().put(ByteSequence.from(String.format("/bench/%08d", i).getBytes()),
                        ByteSequence.from(value)));
                if (batch.size() == 32) {
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get();
                    batch.clear();
                }
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get();
        }
    }

    private static void print(String what, long startNanos) {
        System.out.printf("BENCH %s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
