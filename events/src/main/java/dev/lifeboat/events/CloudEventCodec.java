package dev.lifeboat.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 in Kafka binary mode: attributes in {@code ce_*} headers, the event's data as
 * the JSON value, the cluster id as key.
 */
public final class CloudEventCodec {
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    private static final Map<String, Class<? extends LifeboatEvent>> TYPES = Map.of(
            EventTypes.CLUSTER_REGISTERED, ClusterRegistered.class,
            EventTypes.SNAPSHOT_TAKEN, SnapshotTaken.class,
            EventTypes.SNAPSHOT_VERIFIED, SnapshotVerified.class,
            EventTypes.SNAPSHOT_REPLICATED, SnapshotReplicated.class,
            EventTypes.SNAPSHOT_PRUNED, SnapshotPruned.class,
            EventTypes.BACKUP_FAILED, BackupFailed.class,
            EventTypes.AUDIT, Audited.class);

    private CloudEventCodec() {}

    /** The Kafka record for {@code event}, emitted by {@code source} (the service name). */
    public static ProducerRecord<String, byte[]> encode(LifeboatEvent event, String source) {
        byte[] value;
        try {
            value = EventJson.mapper().writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + event.type(), e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.clusterId(), value);
        Headers h = record.headers();
        put(h, "ce_specversion", SPEC_VERSION);
        put(h, "ce_id", event.eventId());
        put(h, "ce_source", source);
        put(h, "ce_type", event.type());
        put(h, "ce_time", Instant.now().toString());
        put(h, "content-type", CONTENT_TYPE);
        if (event.subject() != null) {
            put(h, "ce_subject", event.subject());
        }
        return record;
    }

    /** Decodes any Lifeboat event; throws {@link MalformedEventException} for anything else. */
    public static LifeboatEvent decode(ConsumerRecord<String, byte[]> record) {
        return decode(record.headers(), record.value());
    }

    public static LifeboatEvent decode(Headers headers, byte[] value) {
        String specVersion = header(headers, "ce_specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new MalformedEventException("not a CloudEvents 1.0 record (ce_specversion=" + specVersion + ")");
        }
        String type = header(headers, "ce_type");
        Class<? extends LifeboatEvent> target = TYPES.get(type);
        if (target == null) {
            throw new MalformedEventException("unknown CloudEvent type " + type);
        }
        if (value == null || value.length == 0) {
            throw new MalformedEventException(type + " without data");
        }
        try {
            return EventJson.mapper().readValue(value, target);
        } catch (IOException e) {
            throw new MalformedEventException(type + " with unreadable data: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Decodes and checks that the event is of the expected class. */
    public static <T extends LifeboatEvent> T decode(ConsumerRecord<String, byte[]> record, Class<T> expected) {
        LifeboatEvent event = decode(record);
        if (!expected.isInstance(event)) {
            throw new MalformedEventException("expected " + expected.getSimpleName() + " but got " + event.type());
        }
        return expected.cast(event);
    }

    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
