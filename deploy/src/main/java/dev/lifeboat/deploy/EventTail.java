package dev.lifeboat.deploy;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;

/**
 * Prints Lifeboat's events as they arrive, one readable line each.
 * {@code EventTail <bootstrap> [--until-replicated] [--timeout-seconds N]}: without options it
 * follows until stopped; {@code --until-replicated} returns once a snapshot went all the way
 * through (exit 0) or a failure arrived (exit 1).
 */
public final class EventTail {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private EventTail() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: EventTail <kafka-bootstrap> [--until-replicated] [--timeout-seconds N]");
            System.exit(2);
        }
        boolean untilReplicated = List.of(args).contains("--until-replicated");
        long timeoutSeconds = Long.MAX_VALUE / 2_000_000_000L;
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--timeout-seconds")) {
                timeoutSeconds = Long.parseLong(args[i + 1]);
            }
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-event-tail-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        print("cluster.removed", r.key(), "");
                        continue;
                    }
                    LifeboatEvent event;
                    try {
                        event = CloudEventCodec.decode(r);
                    } catch (MalformedEventException e) {
                        print("unreadable", r.key(), r.topic() + "@" + r.offset() + ": " + e.getMessage());
                        continue;
                    }
                    describe(event);
                    if (untilReplicated && event instanceof SnapshotReplicated) {
                        return;
                    }
                    if (untilReplicated && event instanceof BackupFailed f && !f.resolved()) {
                        System.exit(1);
                    }
                }
            }
        }
        if (untilReplicated) {
            System.err.println("no replicated snapshot within " + timeoutSeconds + " s");
            System.exit(1);
        }
    }

    private static void describe(LifeboatEvent event) {
        if (event instanceof ClusterRegistered c) {
            print("cluster.registered", c.clusterId(), c.spec().endpoints() + (c.spec().schedule() == null ? ""
                    : " schedule '" + c.spec().schedule() + "'"));
        } else if (event instanceof SnapshotTaken t) {
            print("snapshot.taken", t.clusterId(), t.snapshotId() + "  " + t.sizeBytes() + " bytes, revision "
                    + t.revision() + ", member " + t.memberId() + " (etcd " + t.etcdVersion() + "), " + t.durationMillis()
                    + " ms, " + t.trigger());
        } else if (event instanceof SnapshotVerified v) {
            String drill = v.drill() == null ? "" : ", restore drill RTO " + v.drill().rtoMillis() + " ms";
            String content = v.content() == null ? "" : ", " + v.content().kubernetesObjects() + " Kubernetes objects in "
                    + (v.content().namespaces() == null ? 0 : v.content().namespaces().size()) + " namespaces";
            print("snapshot.verified", v.clusterId(), v.snapshotId() + "  revision " + v.status().revision() + ", "
                    + v.liveKeys() + " live keys" + content + drill);
        } else if (event instanceof SnapshotReplicated r) {
            print("snapshot.replicated", r.clusterId(), r.snapshotId() + "  " + r.sourceRegion() + " -> " + r.region()
                    + ", " + r.bytes() + " bytes in " + r.durationMillis() + " ms, sha256 checked");
        } else if (event instanceof SnapshotPruned p) {
            print("snapshot.pruned", p.clusterId(), p.snapshotId() + "  in " + p.region() + ": " + p.reason());
        } else if (event instanceof BackupFailed f) {
            print(f.resolved() ? "RESOLVED" : "FAILED", f.clusterId(), (f.snapshotId() == null ? "" : f.snapshotId() + "  ")
                    + f.stage() + "/" + f.reason() + " " + f.severity() + (f.region() == null ? "" : " [" + f.region()
                    + "]") + ": " + f.message());
        }
    }

    private static void print(String what, String clusterId, String detail) {
        System.out.printf("%s  %-20s %-16s %s%n", LocalTime.now(ZoneOffset.UTC).format(TIME), what, clusterId, detail);
        System.out.flush();
    }
}
