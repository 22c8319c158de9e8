package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severity;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.StallingProxy;
import dev.lifeboat.testing.TopicRecorder;

/**
 * The packaged service, killed (SIGKILL) while an on-demand snapshot it answered 202 streams: the
 * next start reports that snapshot once as SNAPSHOT_ABANDONED (WARNING) and ends its record; an
 * on-demand snapshot that finished before the kill is not reported.
 */
class AbandonedSnapshotIT {
    static Path dir;
    static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("abandoned-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
        SnapshotFailuresIT.fill(etcd, 2, 10_000);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void anAcceptedSnapshotWhoseReplicaIsKilledIsReportedOnceByTheNextStart() throws Exception {
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.etcd.allow-plaintext", "true");
        config.put("lifeboat.etcd.credentials-dir", dir.resolve("credentials").toString());
        config.put("lifeboat.snapshot.stall-timeout", "PT5M");
        config.put("lifeboat.ownership.session-timeout", "PT6S");
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
                PlannedStopIT.register(http, base, "abandon-finished", etcd.clientUrl());
                finishedId = PlannedStopIT.snapshot(http, base, "abandon-finished");
                taken.await(r -> "abandon-finished".equals(r.key())
                        && finishedId.equals(CloudEventCodec.header(r.headers(), "ce_subject")), Duration.ofSeconds(60));
                records.await(r -> ("abandon-finished/" + finishedId).equals(r.key()) && r.value() == null,
                        Duration.ofSeconds(30));

                streaming.stallAfter(256 * 1024);
                PlannedStopIT.register(http, base, "abandon-killed", streaming.url());
                abandonedId = PlannedStopIT.snapshot(http, base, "abandon-killed");
                records.readToEnd(); // what the topic held when the 202 came
                assertThat(records.records(r -> ("abandon-killed/" + abandonedId).equals(r.key()) && r.value() != null))
                        .as("recorded before the 202").hasSize(1)
                        .allSatisfy(r -> assertThat(new String(r.value())).contains(abandonedId));
                Awaitility.await("the snapshot streams").atMost(Duration.ofSeconds(30))
                        .until(() -> PlannedStopIT.streamedBytes(http, base, "abandon-killed") > 0);
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
}
