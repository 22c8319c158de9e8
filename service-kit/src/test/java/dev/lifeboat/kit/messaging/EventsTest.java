package dev.lifeboat.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotVerified;

class EventsTest {
    private static final String SNAPSHOT = "20261121T044649Z-3f9a1c2e";

    private static ConsumerRecord<String, byte[]> received(SnapshotReplicated event) {
        ProducerRecord<String, byte[]> sent = CloudEventCodec.encode(event, "test");
        return new ConsumerRecord<>(sent.topic(), 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                sent.value(), sent.headers(), java.util.Optional.empty());
    }

    private static SnapshotReplicated replicated(String clusterId, String snapshotId) {
        return new SnapshotReplicated(clusterId, snapshotId, "primary", "secondary", 1, 1, "ab", Instant.EPOCH);
    }

    @Test
    void aValidEventIsDecoded() {
        assertThat(Events.decode(received(replicated("prod-eu-1", SNAPSHOT)), SnapshotReplicated.class).snapshotId())
                .isEqualTo(SNAPSHOT);
    }

    @Test
    void idsThatWouldBecomeObjectKeysAreChecked() {
        assertThatThrownBy(() -> Events.decode(received(replicated("../etc", SNAPSHOT)), SnapshotReplicated.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("cluster id");
        assertThatThrownBy(() -> Events.decode(received(replicated("prod-eu-1", "x/../y")), SnapshotReplicated.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("snapshot id");
        assertThatThrownBy(() -> Events.decode(received(replicated(null, SNAPSHOT)), SnapshotReplicated.class))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> Events.decode(received(replicated("prod-eu-1", null)), SnapshotReplicated.class))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void anotherTypeIsMalformed() {
        assertThatThrownBy(() -> Events.decode(received(replicated("prod-eu-1", SNAPSHOT)), SnapshotVerified.class))
                .isInstanceOf(MalformedEventException.class);
    }
}
