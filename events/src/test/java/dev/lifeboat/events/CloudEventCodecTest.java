package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class CloudEventCodecTest {
    private static ConsumerRecord<String, byte[]> received(ProducerRecord<String, byte[]> sent) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>(sent.topic(), 0, 0, sent.key(), sent.value());
        sent.headers().forEach(h -> r.headers().add(h));
        return r;
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void takenEventIsABinaryModeCloudEventKeyedByCluster() throws Exception {
        SnapshotTaken taken = new SnapshotTaken("prod-1", "20261121T044649Z-3f9a1c2e", "primary",
                "clusters/prod-1/20261121T044649Z-3f9a1c2e/snapshot.db", 20512, "ab12", 42, "8e9e05c52164694d",
                "3.4.23", "SCHEDULE", Instant.parse("2026-11-21T04:46:49Z"), 850);
        ProducerRecord<String, byte[]> r = CloudEventCodec.encode(taken, "snapshot-service");
        assertThat(r.topic()).isEqualTo("lifeboat.snapshots.taken");
        assertThat(r.key()).isEqualTo("prod-1");
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_type")).isEqualTo("dev.lifeboat.snapshot.taken.v1");
        assertThat(header(r, "ce_source")).isEqualTo("snapshot-service");
        assertThat(header(r, "ce_subject")).isEqualTo("20261121T044649Z-3f9a1c2e");
        assertThat(header(r, "ce_id")).isEqualTo("taken/prod-1/20261121T044649Z-3f9a1c2e");
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        JsonNode data = EventJson.mapper().readTree(r.value());
        assertThat(data.get("takenAt").asText()).isEqualTo("2026-11-21T04:46:49Z");
        assertThat(data.get("revision").asLong()).isEqualTo(42);
        assertThat(data.has("type")).as("attributes stay in headers").isFalse();
        assertThat(CloudEventCodec.decode(received(r), SnapshotTaken.class)).isEqualTo(taken);
    }

    @Test
    void everyEventTypeRoundTrips() {
        Instant t = Instant.parse("2026-11-21T04:46:49Z");
        List<LifeboatEvent> events = List.of(
                new ClusterRegistered("c1", new ClusterSpec(List.of("https://10.0.0.1:2379"), null, "0 * * * *",
                        new ClusterSpec.RetentionSpec(24, 24, 7, 4, 12, null, null), List.of("secondary"), null,
                        Map.of("env", "prod")), t),
                new SnapshotReplicated("c1", "20261121T044649Z-3f9a1c2e", "primary", "secondary", 10, 5, "ab", t),
                new SnapshotPruned("c1", "20261121T044649Z-3f9a1c2e", "secondary", "beyond keep-last 24", t, 10, t),
                BackupFailed.of("c1", null, Stage.SNAPSHOT, FailureReason.ETCD_UNREACHABLE,
                        "no endpoint answered", "primary", 1));
        for (LifeboatEvent e : events) {
            assertThat(CloudEventCodec.decode(received(CloudEventCodec.encode(e, "test")))).isEqualTo(e);
        }
    }

    @Test
    void poisonRecordsAreMalformedNotCrashes() {
        ConsumerRecord<String, byte[]> noHeaders = new ConsumerRecord<>("t", 0, 0, "c1", "{}".getBytes());
        assertThatThrownBy(() -> CloudEventCodec.decode(noHeaders)).isInstanceOf(MalformedEventException.class);

        ProducerRecord<String, byte[]> good = CloudEventCodec.encode(new SnapshotPruned("c1", "20261121T044649Z-3f9a1c2e",
                "primary", "r", Instant.EPOCH, 1, Instant.EPOCH), "test");
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>("t", 0, 0, "c1", "not json".getBytes());
        good.headers().forEach(h -> garbage.headers().add(h));
        assertThatThrownBy(() -> CloudEventCodec.decode(garbage)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("unreadable data");

        assertThatThrownBy(() -> CloudEventCodec.decode(received(good), SnapshotTaken.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("expected SnapshotTaken");
    }
}
