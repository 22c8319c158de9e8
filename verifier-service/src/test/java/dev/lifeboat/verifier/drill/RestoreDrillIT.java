package dev.lifeboat.verifier.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.verifier.SnapshotFixtures;
import dev.lifeboat.inspect.KeyValueSample;

/** The drill against the real etcd and etcdctl binaries, with etcdctl's view of the source as the oracle. */
class RestoreDrillIT {
    @TempDir
    static Path dir;

    static EtcdServer etcd;
    static Path snapshot;
    static DrillExpectation expected;
    static long compactRevision;

    @BeforeAll
    static void snapshotOfARealEtcd() {
        etcd = EtcdServer.start(dir.resolve("etcd"));
        for (int i = 0; i < 50; i++) {
            etcd.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
        }
        etcd.etcdctl("put", "/registry/configmaps/default/cm-7", "changed");
        etcd.etcdctl("del", "/registry/configmaps/default/cm-8");
        expected = SnapshotFixtures.served(etcd, "/registry/configmaps/default/cm-7",
                "/registry/configmaps/default/cm-0", "/registry/configmaps/default/cm-49");
        compactRevision = expected.revision() - 1;
        etcd.etcdctl("compact", String.valueOf(compactRevision));
        snapshot = SnapshotFixtures.save(etcd, dir.resolve("snapshot.db"));
    }

    @AfterAll
    static void stop() {
        etcd.close();
    }

    private RestoreDrill drill(Path work, Duration timeout) {
        return new RestoreDrill(new DrillSettings("etcd", "etcdctl", work, timeout, 1), new LiveDrills());
    }

    @Test
    void restoredEtcdServesTheSnapshotsRevisionKeysAndValues() throws Exception {
        Path work = dir.resolve("work-ok");
        DrillReport report = drill(work, Duration.ofSeconds(60)).run(snapshot, expected);

        assertThat(report.revision()).isEqualTo(expected.revision());
        assertThat(report.liveKeys()).isEqualTo(49);
        assertThat(report.sampledKeys()).isEqualTo(3);
        assertThat(report.restoreMillis()).isPositive();
        assertThat(report.startMillis()).isPositive();
        assertThat(report.toEvent(5).rtoMillis()).isEqualTo(5 + report.restoreMillis() + report.startMillis());
        assertNothingLeft(work);
    }

    @Test
    void aDifferentValueFailsTheDrill() throws Exception {
        Path work = dir.resolve("work-value");
        KeyValueSample real = expected.sample().get(0);
        DrillExpectation wrong = new DrillExpectation(expected.revision(), expected.liveKeys(),
                List.of(new KeyValueSample(real.key(), "not-what-etcd-holds".getBytes(), real.modRevision())));

        assertThatThrownBy(() -> drill(work, Duration.ofSeconds(60)).run(snapshot, wrong))
                .isInstanceOf(DrillFailedException.class)
                .hasMessageContaining("different value for key /registry/configmaps/default/cm-7")
                .extracting(e -> ((DrillFailedException) e).reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertNothingLeft(work);
    }

    @Test
    void aSnapshotThatRestoresToAnotherRevisionThanItsStatusFails() throws Exception {
        // Structure and every checksum are valid, so etcdctl restores it; but etcd starts at the
        // recorded compaction revision when that is ahead of the newest key revision.
        Path tampered = Files.copy(snapshot, dir.resolve("tampered.db"));
        SnapshotFixtures.tamperCompactRevision(tampered, compactRevision, expected.revision() + 1000);
        Path work = dir.resolve("work-tampered");

        assertThatThrownBy(() -> drill(work, Duration.ofSeconds(60)).run(tampered, expected))
                .isInstanceOf(DrillFailedException.class)
                .hasMessageContaining("serves revision " + (expected.revision() + 1000))
                .extracting(e -> ((DrillFailedException) e).reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertNothingLeft(work);
    }

    /** The source cluster's HashKV at {@code revision}, as etcdctl reports it (the manifest records the same). */
    static SnapshotManifest.KvHash kvHashOf(EtcdServer server, long revision) throws Exception {
        JsonNode h = EventJson.mapper().readTree(server.etcdctl("endpoint", "hashkv", "--rev", String.valueOf(revision),
                "-w", "json")).get(0).get("HashKV");
        return new SnapshotManifest.KvHash(revision, h.get("hash").asLong(), h.get("compact_revision").asLong());
    }

    @Test
    void aSelfConsistentSnapshotHoldingOtherDataThanTheClusterFailsOnTheKvHash() throws Exception {
        SnapshotManifest.KvHash clusterHash = kvHashOf(etcd, expected.revision());
        // the genuine snapshot reproduces the cluster's hash
        Path okWork = dir.resolve("work-kvhash-ok");
        drill(okWork, Duration.ofSeconds(60)).run(snapshot, expected.withKvHash(clusterHash));
        assertNothingLeft(okWork);

        // a twin: the same history with one value of the same length changed. Its file is valid in
        // every way (trailer, structure, status, sample read back), only the data is not the cluster's.
        EtcdServer twin = EtcdServer.start(dir.resolve("etcd-twin"));
        Path twinSnapshot;
        DrillExpectation twinExpected;
        try {
            for (int i = 0; i < 50; i++) {
                twin.etcdctl("put", "/registry/configmaps/default/cm-" + i, "value-" + i);
            }
            twin.etcdctl("put", "/registry/configmaps/default/cm-7", "chanGed");
            twin.etcdctl("del", "/registry/configmaps/default/cm-8");
            twinExpected = SnapshotFixtures.served(twin, "/registry/configmaps/default/cm-7");
            twin.etcdctl("compact", String.valueOf(compactRevision));
            twinSnapshot = SnapshotFixtures.save(twin, dir.resolve("twin.db"));
        } finally {
            twin.close();
        }
        assertThat(twinExpected.revision()).isEqualTo(expected.revision());
        Path work = dir.resolve("work-kvhash");
        assertThatThrownBy(() -> drill(work, Duration.ofSeconds(60)).run(twinSnapshot, twinExpected.withKvHash(clusterHash)))
                .isInstanceOf(DrillFailedException.class)
                .hasMessageContaining("KV hash at revision " + expected.revision())
                .extracting(e -> ((DrillFailedException) e).reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertNothingLeft(work);
    }

    @Test
    void aBrokenTrailerIsRefusedByRestoreAndItsHalfWrittenDirectoryRemoved() throws Exception {
        Path broken = Files.copy(snapshot, dir.resolve("broken-trailer.db"));
        SnapshotFixtures.flipByte(broken, -1);
        Path work = dir.resolve("work-trailer");

        assertThatThrownBy(() -> drill(work, Duration.ofSeconds(60)).run(broken, expected))
                .isInstanceOf(DrillFailedException.class)
                .hasMessageContaining("etcdctl snapshot restore exited")
                .extracting(e -> ((DrillFailedException) e).reason()).isEqualTo(FailureReason.RESTORE_FAILED);
        assertNothingLeft(work);
    }

    @Test
    void aDrillOverItsTimeLimitFailsAndLeavesNothingBehind() throws Exception {
        Path work = dir.resolve("work-timeout");
        // an etcd that is still starting when the limit is over, however fast the machine: the real
        // binary behind a delay far longer than the limit, so the drill must give up and clean up
        Path slowEtcd = dir.resolve("slow-etcd");
        Files.writeString(slowEtcd, "#!/bin/sh\nsleep 60\nexec etcd \"$@\"\n");
        assertThat(slowEtcd.toFile().setExecutable(true)).isTrue();
        RestoreDrill drill = new RestoreDrill(
                new DrillSettings(slowEtcd.toString(), "etcdctl", work, Duration.ofSeconds(2), 1), new LiveDrills());
        assertThatThrownBy(() -> drill.run(snapshot, expected))
                .isInstanceOf(DrillFailedException.class)
                .extracting(e -> ((DrillFailedException) e).reason()).isEqualTo(FailureReason.RESTORE_TIMEOUT);
        assertNothingLeft(work);
    }

    @Test
    void stoppingTheServiceKillsARunningDrill() throws Exception {
        Path work = dir.resolve("work-stop");
        LiveDrills live = new LiveDrills();
        RestoreDrill drill = new RestoreDrill(new DrillSettings("etcd", "etcdctl", work, Duration.ofSeconds(60), 1), live);
        AtomicReference<Exception> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                drill.run(snapshot, expected);
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        runner.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> scratchEtcdRunningIn(work));

        live.stopAll();

        assertThat(scratchEtcdRunningIn(work)).isFalse();
        runner.join(30_000);
        assertThat(runner.isAlive()).isFalse();
        // cut short by the service, not a verdict on the snapshot: no failure event must follow
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertNothingLeft(work);
        assertThatThrownBy(() -> drill.run(snapshot, expected)).isInstanceOf(InterruptedException.class);
    }

    private static boolean scratchEtcdRunningIn(Path work) {
        String marker = work.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().anyMatch(p -> p.isAlive()
                && p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    static void assertNothingLeft(Path work) throws IOException {
        assertThat(scratchEtcdRunningIn(work)).as("scratch processes alive").isFalse();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("scratch directories left").isEmpty();
        }
    }
}
