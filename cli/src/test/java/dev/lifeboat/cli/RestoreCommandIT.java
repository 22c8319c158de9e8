package dev.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.common.etcd.LoopbackPorts;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.store.StoreFixtures;
import dev.lifeboat.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cli/lifeboat} as an operator runs it, against real S3 stores and real etcd: the snapshot
 * is in both regions, the primary store is down, and every check's oracle is stock etcdctl.
 */
class RestoreCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "prod-eu-1";
    private static final String GOOD = "20261201T100000Z-0000aaaa";
    private static final String BUCKET = "lifeboat";

    @TempDir
    static Path dir;
    static S3Server primary;
    static S3Server secondary;
    static ObjectStore secondaryStore;
    static byte[] snapshot;
    static long revision;
    static long kvHash;
    static JsonNode sourceKeys;
    static JsonNode etcdctlStatus;
    static final List<ServerProcess> members = new ArrayList<>();

    @BeforeAll
    static void backedUpAndReplicatedThenPrimaryDown() throws Exception {
        primary = S3Server.start(dir.resolve("s3-primary"));
        secondary = S3Server.start(dir.resolve("s3-secondary"));
        Path file = dir.resolve("source.db");
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("source"))) {
            for (int i = 0; i < 120; i++) {
                etcd.etcdctl("put", "/registry/configmaps/ns-" + (i % 4) + "/cm-" + i, "value-" + i);
            }
            etcd.etcdctl("put", "/registry/configmaps/ns-0/cm-0", "changed");
            etcd.etcdctl("del", "/registry/configmaps/ns-1/cm-1");
            sourceKeys = json(etcd.etcdctl("get", "", "--from-key", "-w", "json"));
            revision = sourceKeys.get("header").get("revision").asLong();
            kvHash = json(etcd.etcdctl("endpoint", "hashkv", "--rev", String.valueOf(revision), "-w", "json"))
                    .get(0).get("HashKV").get("hash").asLong();
            etcd.etcdctl("snapshot", "save", file.toString());
        }
        snapshot = Files.readAllBytes(file);
        etcdctlStatus = json(Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "status", "-w", "json",
                file.toString())));
        for (S3Server s3 : List.of(primary, secondary)) {
            ObjectStore store = store(s3, s3 == primary ? "primary" : "secondary");
            store.ensureBucket();
            put(store, GOOD, snapshot, manifest(GOOD, snapshot), true);
        }
        secondaryStore = store(secondary, "secondary");
        primary.stop();
    }

    @AfterAll
    static void stop() {
        members.forEach(ServerProcess::close);
        secondary.close();
        primary.close();
    }

    @Test
    void restoresEveryMemberFromTheSecondaryAndTheyServeTheSnapshot() throws Exception {
        int[] peer = {LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()};
        int[] client = {LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()};
        String initial = "m1=http://127.0.0.1:" + peer[0] + ",m2=http://127.0.0.1:" + peer[1]
                + ",m3=http://127.0.0.1:" + peer[2];
        Path restoreDir = Files.createDirectories(dir.resolve("restore"));

        Run run = lifeboat("restore", "--cluster", CLUSTER, "--region", "secondary", "--initial-cluster", initial,
                "--initial-cluster-token", "restored", "--data-dir", restoreDir + "/{name}");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains(GOOD).contains("restored member m1").contains("restored member m3");
        assertThat(names(restoreDir)).containsExactly("m1", "m2", "m3");
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "m" + (i + 1);
            String clientUrl = "http://127.0.0.1:" + client[i];
            endpoints.add(clientUrl);
            members.add(ServerProcess.start(name, List.of(EtcdServer.etcdBinary(), "--name", name,
                    "--data-dir", restoreDir.resolve(name).toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", "http://127.0.0.1:" + peer[i],
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer[i],
                    "--initial-cluster", initial, "--initial-cluster-token", "restored"), dir.resolve(name + ".log")));
        }
        String all = String.join(",", endpoints);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                Commands.run(etcdctl(all, "endpoint", "health")).exitCode() == 0);

        JsonNode memberList = json(Commands.check(etcdctl(endpoints.get(0), "member", "list", "-w", "json")));
        assertThat(memberList.get("members")).hasSize(3);
        for (String endpoint : endpoints) {
            JsonNode served = json(Commands.check(etcdctl(endpoint, "get", "", "--from-key", "-w", "json",
                    "--rev", String.valueOf(revision))));
            assertThat(served.get("kvs")).isEqualTo(sourceKeys.get("kvs"));
            assertThat(served.get("header").get("revision").asLong()).isEqualTo(revision);
            long restoredHash = json(Commands.check(etcdctl(endpoint, "endpoint", "hashkv", "--rev",
                    String.valueOf(revision), "-w", "json"))).get(0).get("HashKV").get("hash").asLong();
            assertThat(restoredHash).isEqualTo(kvHash);
        }
        Commands.check(etcdctl(endpoints.get(1), "put", "/after-restore", "x"));
        JsonNode after = json(Commands.check(etcdctl(endpoints.get(2), "get", "/after-restore", "-w", "json",
                "--consistency", "l")));
        assertThat(after.get("kvs").get(0).get("mod_revision").asLong()).isEqualTo(revision + 1);
    }

    @Test
    void snapshotsAndVerifyAgreeWithWhatIsStored() throws Exception {
        Run snapshots = lifeboat("snapshots", "--cluster", CLUSTER, "--region", "secondary", "--json");
        assertThat(snapshots.exit()).as(snapshots.output()).isZero();
        JsonNode line = stream(json(snapshots.stdout())).filter(l -> l.get("snapshotId").asText().equals(GOOD))
                .findFirst().orElseThrow();
        assertThat(line.get("revision").asLong()).isEqualTo(revision);
        assertThat(line.get("sizeBytes").asLong()).isEqualTo(snapshot.length);
        assertThat(line.get("verified").asBoolean()).isTrue();
        assertThat(line.get("drillRtoMillis").asLong()).isEqualTo(1234);
        assertThat(line.get("unreachableRegions").toString()).isEqualTo("[\"primary\"]");

        Run verify = lifeboat("verify", "--cluster", CLUSTER, "--region", "secondary", "--json",
                "--work-dir", Files.createDirectories(dir.resolve("verify-work")).toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        JsonNode report = json(verify.stdout());
        assertThat(report.get("snapshotId").asText()).isEqualTo(GOOD);
        assertThat(report.get("status").get("hash").asLong()).isEqualTo(etcdctlStatus.get("hash").asLong());
        assertThat(report.get("status").get("revision").asLong()).isEqualTo(etcdctlStatus.get("revision").asLong());
        assertThat(report.get("status").get("totalKeys").asLong()).isEqualTo(etcdctlStatus.get("totalKey").asLong());
        assertThat(report.get("status").get("totalSize").asLong()).isEqualTo(etcdctlStatus.get("totalSize").asLong());
        assertThat(report.get("liveKeys").asLong()).isEqualTo(sourceKeys.get("count").asLong());
        assertThat(report.get("verificationJson").asText()).isEqualTo("agrees");
        assertThat(names(dir.resolve("verify-work"))).isEmpty();

        Run clusters = lifeboat("clusters", "--region", "secondary");
        assertThat(clusters.exit()).isZero();
        assertThat(clusters.stdout()).contains(CLUSTER).contains(GOOD);
    }

    @Test
    void everyDamageFailsWithItsOwnLineAndCreatesNothing() throws Exception {
        byte[] flipped = snapshot.clone();
        flipped[4096 * 2 + 100] ^= 0x5a;
        String a = damaged("20261201T090001Z-0000000a", flipped, manifest("20261201T090001Z-0000000a", snapshot));
        expectFailure(a, 7, "checksum mismatch: sha256 of");

        byte[] brokenRoot = rehashed(breakRootPages(snapshot.clone()));
        String b = damaged("20261201T090002Z-0000000b", brokenRoot, manifest("20261201T090002Z-0000000b", brokenRoot));
        expectFailure(b, 8, "corrupt database: CORRUPT_DB");

        byte[] badTrailer = snapshot.clone();
        badTrailer[badTrailer.length - 3] ^= 0x01;
        String c = damaged("20261201T090003Z-0000000c", badTrailer, manifest("20261201T090003Z-0000000c", badTrailer));
        expectFailure(c, 7, "checksum mismatch: the trailer");

        byte[] truncated = Arrays.copyOf(snapshot, snapshot.length - 4096);
        String d = damaged("20261201T090004Z-0000000d", truncated, manifest("20261201T090004Z-0000000d", snapshot));
        expectFailure(d, 7, "(truncated)");

        String e = "20261201T090005Z-0000000e";
        StoreFixtures.writeObject(secondaryStore, StoreFixtures.manifest(CLUSTER, e).build(), snapshot);
        expectFailure(e, 5, "no such snapshot: snapshot " + e + " of cluster " + CLUSTER + " has no manifest.json");

        Path parent = Files.createDirectories(dir.resolve("occupied"));
        Files.createDirectories(parent.resolve("m1"));
        Files.writeString(parent.resolve("m1").resolve("keep.txt"), "old data");
        Run occupied = lifeboat("restore", "--cluster", CLUSTER, "--region", "secondary", "--name", "m1",
                "--initial-cluster", "m1=http://127.0.0.1:2380", "--data-dir", parent.resolve("m1").toString());
        assertThat(occupied.exit()).isEqualTo(9);
        assertThat(occupied.stderr().strip()).startsWith("lifeboat: data dir not empty:").doesNotContain("\n");
        assertThat(names(parent)).containsExactly("m1");
        assertThat(names(parent.resolve("m1"))).containsExactly("keep.txt");

        Run unknown = lifeboat("snapshots", "--cluster", "no-such-cluster", "--region", "secondary");
        assertThat(unknown.exit()).isEqualTo(4);
        Run region = lifeboat("clusters", "--region", "tertiary");
        assertThat(region.exit()).isEqualTo(3);
        Run down = lifeboat("clusters", "--region", "primary");
        assertThat(down.exit()).isEqualTo(6);
        assertThat(down.output()).doesNotContain(S3Server.SECRET_KEY);
    }

    @Test
    void bumpedRevisionIsServedAndOlderRevisionsAreCompacted() throws Exception {
        Path target = dir.resolve("bumped");
        String peer = "http://127.0.0.1:" + LoopbackPorts.next();
        Run run = lifeboat("restore", "--cluster", CLUSTER, "--region", "secondary", "--name", "b1",
                "--initial-cluster", "b1=" + peer, "--data-dir", target.toString(),
                "--bump-revision", "1000000", "--mark-compacted");
        assertThat(run.exit()).as(run.output()).isZero();
        String endpoint = startSingle("b1", target, peer);
        long bumped = revision + 1_000_000;
        JsonNode now = json(Commands.check(etcdctl(endpoint, "get", "", "--from-key", "-w", "json")));
        assertThat(now.get("header").get("revision").asLong()).isEqualTo(bumped);
        assertThat(now.get("kvs")).isEqualTo(sourceKeys.get("kvs"));
        Commands.Result old = Commands.run(etcdctl(endpoint, "get", "/registry/configmaps/ns-0/cm-0",
                "--rev", String.valueOf(revision)));
        assertThat(old.exitCode()).isNotZero();
        assertThat(old.output()).contains("required revision has been compacted");
        assertThat(watchOutput(endpoint, revision)).contains("required revision has been compacted");
        Commands.check(etcdctl(endpoint, "put", "/after-bump", "x"));
        JsonNode after = json(Commands.check(etcdctl(endpoint, "get", "/after-bump", "-w", "json")));
        assertThat(after.get("kvs").get(0).get("mod_revision").asLong()).isEqualTo(bumped + 1);
    }

    @Test
    void kubernetesPresetChoosesKFromTheNewestManifest() throws Exception {
        String newer = "20261201T110000Z-0000bbbb";
        SnapshotManifest m = manifest(newer, snapshot);
        StoreFixtures.writeManifest(secondaryStore, m.toBuilder().takenAt(Instant.parse("2026-12-01T11:00:00Z"))
                .revision(revision + 500).kvHash(null).build());
        Path target = dir.resolve("kubernetes");
        String peer = "http://127.0.0.1:" + LoopbackPorts.next();
        Run run = lifeboat("restore", "--cluster", CLUSTER, "--region", "secondary", "--name", "k1",
                "--initial-cluster", "k1=" + peer, "--data-dir", target.toString(),
                "--kubernetes");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.stdout()).contains("bumping the revision by 1000500").contains(GOOD);
        String endpoint = startSingle("k1", target, peer);
        JsonNode now = json(Commands.check(etcdctl(endpoint, "get", "", "--from-key", "--keys-only", "-w", "json")));
        assertThat(now.get("header").get("revision").asLong()).isEqualTo(revision + 1_000_500);
        Commands.Result old = Commands.run(etcdctl(endpoint, "get", "/registry", "--prefix",
                "--rev", String.valueOf(revision + 500)));
        assertThat(old.output()).contains("required revision has been compacted");
    }

    /** Starts a one-member etcd from a restored directory, on the peer URL restore was given. */
    private static String startSingle(String name, Path dataDir, String peerUrl) {
        String clientUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        members.add(ServerProcess.start(name, List.of(EtcdServer.etcdBinary(), "--name", name,
                "--data-dir", dataDir.toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", name + "=" + peerUrl), dir.resolve(name + ".log")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                Commands.run(etcdctl(clientUrl, "endpoint", "health")).exitCode() == 0);
        return clientUrl;
    }

    /** {@code etcdctl watch --rev}: prints the cancellation and exits, or is killed after 10 s. */
    private static String watchOutput(String endpoint, long rev) throws Exception {
        Path out = Files.createTempFile(dir, "watch", ".txt");
        Process p = new ProcessBuilder(etcdctl(endpoint, "watch", "/registry", "--prefix", "--rev", String.valueOf(rev)))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return Files.readString(out);
    }

    private void expectFailure(String snapshotId, int exit, String line) throws Exception {
        Path parent = Files.createDirectories(dir.resolve("failed-" + snapshotId));
        Run run = lifeboat("restore", "--cluster", CLUSTER, "--region", "secondary", "--snapshot", snapshotId,
                "--initial-cluster", "m1=http://127.0.0.1:2380,m2=http://127.0.0.1:2381",
                "--data-dir", parent + "/{name}");
        assertThat(run.exit()).as(run.output()).isEqualTo(exit);
        assertThat(run.stderr().strip()).as(run.output()).startsWith("lifeboat: ").contains(line).doesNotContain("\n");
        assertThat(names(parent)).as("left in %s", parent).isEmpty();
    }

    private static String damaged(String id, byte[] object, SnapshotManifest manifest) {
        put(secondaryStore, id, object, manifest, false);
        return id;
    }

    /** Points the page id of both meta pages' root pages elsewhere: the database walks into a wrong page. */
    private static byte[] breakRootPages(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pageSize = b.getInt(16 + 8);
        java.util.Set<Long> roots = new java.util.TreeSet<>();
        for (int meta = 0; meta < 2; meta++) {
            roots.add(b.getLong(meta * pageSize + 16 + 16));
        }
        roots.forEach(root -> bytes[(int) (root * pageSize)] ^= 0x7f);
        return bytes;
    }

    private static byte[] rehashed(byte[] bytes) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
        System.arraycopy(sha, 0, bytes, bytes.length - 32, 32);
        return bytes;
    }

    private static void put(ObjectStore store, String id, byte[] object, SnapshotManifest manifest, boolean verified) {
        StoreFixtures.writeObject(store, manifest, object);
        if (verified) {
            store.putJson(SnapshotLayout.verificationKey(CLUSTER, id), new SnapshotVerified(CLUSTER, id, store.regionName(),
                    manifest.sha256(), new SnapshotVerified.Status(etcdctlStatus.get("hash").asLong(),
                    etcdctlStatus.get("revision").asLong(), etcdctlStatus.get("totalKey").asLong(),
                    etcdctlStatus.get("totalSize").asLong()), sourceKeys.get("count").asLong(), 0, "3.4.0", List.of(),
                    null, new SnapshotVerified.RestoreDrill(100, 200, 10, 1234, revision, 0, 0), Instant.now(), 5));
        }
        store.putJson(SnapshotLayout.manifestKey(CLUSTER, id), manifest);
    }

    private static SnapshotManifest manifest(String id, byte[] object) throws Exception {
        return StoreFixtures.manifest(CLUSTER, id).takenAt(Instant.parse("2026-12-01T10:00:00Z")).revision(revision)
                .producedBy("test").durationMillis(10).kvHash(new SnapshotManifest.KvHash(revision, kvHash, -1))
                .storedAsIs(object.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)))
                .build();
    }

    private static ObjectStore store(S3Server s3, String region) {
        return Regions.open(Region.s3(region, s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, BUCKET));
    }

    record Run(int exit, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    /** Runs the launcher with only environment variables as configuration, as an operator would. */
    static Run lifeboat(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("lifeboat").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LIFEBOAT_"));
        for (Map.Entry<String, S3Server> r : Map.of("PRIMARY", primary, "SECONDARY", secondary).entrySet()) {
            env.put("LIFEBOAT_REGIONS_" + r.getKey() + "_ENDPOINT", r.getValue().endpoint());
            env.put("LIFEBOAT_REGIONS_" + r.getKey() + "_ACCESS_KEY", S3Server.ACCESS_KEY);
            env.put("LIFEBOAT_REGIONS_" + r.getKey() + "_SECRET_KEY", S3Server.SECRET_KEY);
            env.put("LIFEBOAT_REGIONS_" + r.getKey() + "_BUCKET", BUCKET);
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    private static List<String> etcdctl(String endpoints, String... args) {
        List<String> cmd = new ArrayList<>(List.of(EtcdServer.etcdctlBinary(), "--endpoints", endpoints));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l.stream();
    }

    private static JsonNode json(String text) throws IOException {
        int object = text.indexOf('{');
        int array = text.indexOf('[');
        int at = array >= 0 && (object < 0 || array < object) ? array : object;
        return JSON.readTree(text.substring(at));
    }
}
