package dev.lifeboat.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.SnapshotIds;

/**
 * The soak's verdict, from the topics alone: {@code SoakReport <bootstrap> <cluster-prefix>
 * <window-end-epoch-seconds> <settle-seconds>}. Every snapshot of the soak's clusters fired before
 * the window's end must be taken, verified and replicated (waiting up to the settle time for the
 * last ones), and no failure may be published for them. Prints the counts and the p50/p99 time from
 * fire (the snapshot id's time) to replicated (the record's timestamp); exit 1 on any miss or failure.
 */
public final class SoakReport {
    private SoakReport() {}

    public static void main(String[] args) {
        String prefix = args[1];
        Instant windowEnd = Instant.ofEpochSecond(Long.parseLong(args[2]));
        long settleDeadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> taken = new HashSet<>();
        Set<String> verified = new HashSet<>();
        Map<String, Instant> replicated = new HashMap<>();
        List<BackupFailed> failures = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED, Topics.SNAPSHOTS_REPLICATED,
                    Topics.FAILURES)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // judge only once everything published before the window's end has been read
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null || !r.key().startsWith(prefix) || r.value() == null) {
                        continue;
                    }
                    LifeboatEvent event;
                    try {
                        event = CloudEventCodec.decode(r);
                    } catch (MalformedEventException e) {
                        System.out.println("unreadable record " + r.topic() + "@" + r.offset() + ": " + e.getMessage());
                        continue;
                    }
                    String key = event.clusterId() + "/";
                    if (event instanceof SnapshotTaken t) {
                        taken.add(key + t.snapshotId());
                    } else if (event instanceof SnapshotVerified v) {
                        verified.add(key + v.snapshotId());
                    } else if (event instanceof SnapshotReplicated rep) {
                        replicated.merge(key + rep.snapshotId(), Instant.ofEpochMilli(r.timestamp()),
                                (a, b) -> a.isAfter(b) ? a : b);
                    } else if (event instanceof BackupFailed f && !f.resolved()) {
                        failures.add(f);
                    }
                }
                if (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                    continue;
                }
                List<String> judged = taken.stream().filter(id -> fire(id).isBefore(windowEnd)).toList();
                boolean settled = judged.stream().allMatch(id -> verified.contains(id) && replicated.containsKey(id));
                if (settled || System.nanoTime() > settleDeadline) {
                    report(judged, verified, replicated, failures);
                    System.exit(settled && failures.isEmpty() && !judged.isEmpty() ? 0 : 1);
                }
            }
        }
    }

    private static Instant fire(String clusterAndSnapshot) {
        return SnapshotIds.timeOf(clusterAndSnapshot.substring(clusterAndSnapshot.indexOf('/') + 1));
    }

    private static void report(List<String> judged, Set<String> verified, Map<String, Instant> replicated,
                               List<BackupFailed> failures) {
        List<Long> latencies = new ArrayList<>();
        for (String id : judged) {
            Instant at = replicated.get(id);
            if (at != null) {
                latencies.add(Duration.between(fire(id), at).toMillis());
            }
        }
        latencies.sort(null);
        long notVerified = judged.stream().filter(id -> !verified.contains(id)).count();
        long notReplicated = judged.stream().filter(id -> !replicated.containsKey(id)).count();
        System.out.printf("snapshots fired in the window: %d; not verified: %d; not replicated: %d; failure events: %d%n",
                judged.size(), notVerified, notReplicated, failures.size());
        if (!latencies.isEmpty()) {
            System.out.printf("fire -> replicated: p50 %.1f s, p99 %.1f s, max %.1f s%n", pct(latencies, 50) / 1000.0,
                    pct(latencies, 99) / 1000.0, latencies.get(latencies.size() - 1) / 1000.0);
        }
        failures.forEach(f -> System.out.printf("FAILED %s %s %s/%s %s: %s%n", f.clusterId(), f.snapshotId(), f.stage(),
                f.reason(), f.severity(), f.message()));
    }

    private static long pct(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
