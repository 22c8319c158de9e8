package dev.lifeboat.replicator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import dev.lifeboat.replicator.copy.CopyResult;
import dev.lifeboat.replicator.copy.SnapshotCopier;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.store.StoreFixtures;

/**
 * Copies one object of {@code sizeMB} between two real S3 servers, as a plain get-then-put with
 * the same client and through the replicator's copy-and-verify path, and prints the median
 * throughput. {@code compare} alternates both in one JVM (same conditions, for the ratio);
 * {@code plain} or {@code replicator} runs one mode alone and adds this JVM's peak resident memory.
 *
 * <p>Usage: {@code ReplicationBenchmark compare|plain|replicator sizeMB [rounds]}
 */
public final class ReplicationBenchmark {
    private static final String CLUSTER = "bench";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int sizeMb = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long size = sizeMb * 1024L * 1024L;
        Path dir = Files.createTempDirectory("lifeboat-bench-");
        try (S3Server a = S3Server.start(dir.resolve("source")); S3Server b = S3Server.start(dir.resolve("target"))) {
            ObjectStore source = store("source", a);
            ObjectStore target = store("target", b);
            source.ensureBucket();
            target.ensureBucket();
            String snapshotId = SnapshotIds.newSnapshotId(Instant.now());
            seed(source, snapshotId, size);

            List<String> modes = mode.equals("compare") ? List.of("plain", "replicator") : List.of(mode);
            java.util.Map<String, List<Double>> rates = new java.util.TreeMap<>();
            for (int round = 1; round <= rounds; round++) {
                // alternating rounds share whatever else the machine is doing at the time
                for (String m : modes) {
                    double seconds = copyOnce(m, source, target, snapshotId, size);
                    rates.computeIfAbsent(m, k -> new ArrayList<>()).add(sizeMb / seconds);
                    System.err.printf("round %d: %s %d MB in %.2f s%n", round, m, sizeMb, seconds);
                }
            }
            StringBuilder line = new StringBuilder("sizeMB=" + sizeMb + " rounds=" + rounds);
            rates.forEach((m, r) -> line.append(String.format(" %sMBps=%.1f", m, median(r))));
            if (modes.size() == 2) {
                line.append(String.format(" ratio=%.2f", median(rates.get("replicator")) / median(rates.get("plain"))));
            } else {
                line.append(" ").append(mode).append("VmHWMMB=").append(peakRssKb() / 1024);
            }
            System.out.println(line);
        }
    }

    /** Copies the object once in {@code mode} into an empty target; returns the seconds it took. */
    private static double copyOnce(String mode, ObjectStore source, ObjectStore target, String snapshotId, long size)
            throws IOException {
        target.deleteAll(List.of(SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY),
                SnapshotLayout.verificationKey(CLUSTER, snapshotId),
                SnapshotLayout.manifestKey(CLUSTER, snapshotId)));
        long started = System.nanoTime();
        if (mode.equals("plain")) {
            try (InputStream in = source.get(SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY))) {
                target.put(SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY), in, -1, "application/octet-stream");
            }
        } else {
            CopyResult result = new SnapshotCopier().copy(source, target, CLUSTER, snapshotId);
            if (result.bytesCopied() != size) {
                throw new IllegalStateException("copied " + result.bytesCopied() + " of " + size);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static ObjectStore store(String name, S3Server server) {
        return Regions.open(Region.s3(name, server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "bench"));
    }

    /** Random bytes under the snapshot layout, with a manifest naming their checksum and a verification report. */
    private static void seed(ObjectStore source, String snapshotId, long size) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(new RandomBytes(size), sha)) {
            source.put(SnapshotLayout.objectKey(CLUSTER, snapshotId, SnapshotEncoding.IDENTITY), in, size, "application/octet-stream");
        }
        source.putJson(SnapshotLayout.verificationKey(CLUSTER, snapshotId), java.util.Map.of("bench", true));
        StoreFixtures.writeManifest(source, StoreFixtures.manifest(CLUSTER, snapshotId).takenAt(Instant.now())
                .producedBy("benchmark").storedAsIs(size, HexFormat.of().formatHex(sha.digest())).build());
    }

    private static long peakRssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} pseudo-random bytes, generated as read. */
    private static final class RandomBytes extends InputStream {
        private final SplittableRandom random = new SplittableRandom(42);
        private long remaining;

        RandomBytes(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (v >>> (8 * j));
                }
            }
            remaining -= n;
            return n;
        }
    }
}
