package dev.lifeboat.kit.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.SnapshotIds;

/**
 * The one way a consumer reads a record: decoded as the expected event, its ids checked before
 * anything uses them (they become object keys). Anything else is a {@link MalformedEventException},
 * which the channel's failure strategy sends to the topic's dead-letter topic at once.
 */
public final class Events {
    private Events() {}

    public static <T extends LifeboatEvent> T decode(ConsumerRecord<String, byte[]> record, Class<T> type) {
        T event = CloudEventCodec.decode(record, type);
        if (!SnapshotIds.isValidClusterId(event.clusterId())) {
            throw new MalformedEventException(event.type() + " with an invalid cluster id");
        }
        String snapshotId = event.subject();
        boolean aboutOneSnapshot = event instanceof SnapshotTaken || event instanceof SnapshotVerified
                || event instanceof SnapshotReplicated || event instanceof SnapshotPruned;
        if ((snapshotId != null || aboutOneSnapshot) && !SnapshotIds.isValidSnapshotId(snapshotId)) {
            throw new MalformedEventException(event.type() + " of cluster " + event.clusterId()
                    + " with an invalid snapshot id");
        }
        return event;
    }
}
