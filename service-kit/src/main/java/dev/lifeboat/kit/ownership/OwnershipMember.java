package dev.lifeboat.kit.ownership;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.lifeboat.kit.messaging.KafkaClientConfig;

/**
 * One replica's membership of its service's owners group: a Kafka consumer group subscribed to
 * the service's ownership topic, with the cooperative-sticky assignor. The replica owns the
 * clusters whose id falls in its assigned partitions ({@link OwnedPartitions#partitionOf}).
 * Kafka gives a partition to a new owner only after the old one has revoked it (rebalance) or
 * has been silent for the session timeout (crash), so two live members never own a cluster at
 * once. A member that has not heartbeat for most of its session owns nothing (a paused or cut-off
 * replica stops before Kafka hands its clusters over). Records on the owned partitions (requests
 * to the owner of a cluster) go to the record handler, on this member's thread.
 */
public final class OwnershipMember implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OwnershipMember.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaClientConfig kafka;
    private final String topic;
    private final String groupId;
    private final String clientId;
    private final Duration sessionTimeout;
    private final Duration releaseTimeout;
    private final OwnershipListener listener;
    private final Consumer<ConsumerRecord<String, byte[]>> records;
    private final long fenceNanos;
    private final CountDownLatch firstAssignment = new CountDownLatch(1);

    private volatile OwnedPartitions owned = OwnedPartitions.NONE;
    private volatile long heartbeatSentAt = System.nanoTime();
    private volatile boolean running;
    private volatile String broken;
    private volatile Thread thread;
    private int partitionCount;
    private KafkaConsumer<String, byte[]> consumer;

    /**
     * @param service the service name: the group is {@code lifeboat-<service>-owners}
     * @param records handler of the records on owned partitions (null: none expected)
     */
    public OwnershipMember(KafkaClientConfig kafka, String topic, String service, String replica,
                           Duration sessionTimeout, Duration releaseTimeout, OwnershipListener listener,
                           Consumer<ConsumerRecord<String, byte[]>> records) {
        this.kafka = kafka;
        this.topic = topic;
        this.groupId = groupId(service);
        this.clientId = service + "-owner-" + replica;
        this.sessionTimeout = sessionTimeout;
        this.releaseTimeout = releaseTimeout;
        this.listener = listener;
        this.records = records;
        // heartbeats go every third of the session; the heartbeat age is known to the second
        this.fenceNanos = sessionTimeout.minus(heartbeatInterval()).minusSeconds(1).toNanos();
        if (fenceNanos <= 0) {
            throw new IllegalArgumentException("lifeboat.ownership.session-timeout must be at least 3 s, is " + sessionTimeout);
        }
    }

    public static String groupId(String service) {
        return "lifeboat-" + service + "-owners";
    }

    private Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(3);
    }

    public synchronized OwnershipMember start() {
        if (thread != null) {
            return this;
        }
        var p = kafka.consumer(clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatInterval().toMillis());
        // the rebalance waits this long for a member finishing the work of the clusters it gives up
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) releaseTimeout.plusSeconds(30).toMillis());
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "cluster-ownership");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** True while this replica owns the cluster (and has heartbeat recently enough to be sure). */
    public boolean owns(String clusterId) {
        return fresh() && owned.covers(clusterId);
    }

    /** The partitions this replica owns now (none while it is not sure of its membership). */
    public OwnedPartitions owned() {
        return fresh() ? owned : new OwnedPartitions(Set.of(), owned.partitionCount());
    }

    private boolean fresh() {
        return broken == null && System.nanoTime() - heartbeatSentAt < fenceNanos;
    }

    /** True once the group has given this replica its first assignment (maybe empty) and the member still runs. */
    public boolean isReady() {
        Thread t = thread;
        return broken == null && firstAssignment.getCount() == 0 && t != null && t.isAlive();
    }

    /** Why this member owns nothing for good, or null. */
    public String problem() {
        return broken;
    }

    public boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String topic() {
        return topic;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
                noteHeartbeat();
                if (!batch.isEmpty()) {
                    for (ConsumerRecord<String, byte[]> r : batch) {
                        handle(r);
                    }
                    consumer.commitAsync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            broken = "the ownership member stopped: " + e;
            LOG.error("cluster ownership stopped; this replica owns no cluster until it is restarted", e);
        } finally {
            owned = OwnedPartitions.NONE;
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf("closing the ownership consumer: %s", e.toString());
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (records == null) {
            return;
        }
        try {
            records.accept(r);
        } catch (RuntimeException e) {
            LOG.errorf(e, "request for cluster %s at %s-%d@%d not handled", r.key(), r.topic(), r.partition(), r.offset());
        }
    }

    /** Reads the coordinator's heartbeat age (whole seconds) into {@link #heartbeatSentAt}. */
    private void noteHeartbeat() {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            if ("last-heartbeat-seconds-ago".equals(e.getKey().name())
                    && e.getValue().metricValue() instanceof Number age && age.doubleValue() >= 0) {
                long sent = System.nanoTime() - TimeUnit.SECONDS.toNanos(age.longValue());
                if (sent > heartbeatSentAt) {
                    heartbeatSentAt = sent;
                }
                return;
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            int count = consumer.partitionsFor(topic).size();
            if (partitionCount == 0) {
                partitionCount = count;
            } else if (count != partitionCount) {
                // clusters would map to other partitions while old owners still hold the old ones
                broken = topic + " went from " + partitionCount + " to " + count
                        + " partitions; ownership stops (recreate the topic with all replicas stopped)";
                LOG.error(broken);
            }
            heartbeatSentAt = System.nanoTime();
            Set<Integer> all = new HashSet<>(owned.partitions());
            Set<Integer> gained = numbers(added);
            all.addAll(gained);
            owned = new OwnedPartitions(all, partitionCount);
            firstAssignment.countDown();
            if (!gained.isEmpty()) {
                LOG.infof("owning partitions %s of %s now (gained %s)", owned, topic, gained);
                call(() -> listener.gained(new OwnedPartitions(gained, partitionCount)));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            release(revoked, false);
            if (!revoked.isEmpty() && records != null) {
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (TopicPartition tp : revoked) {
                    positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                }
                try {
                    consumer.commitSync(positions);
                } catch (RuntimeException e) {
                    LOG.warnf("could not commit request offsets of %s: %s", revoked, e.toString());
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            release(lost, true);
        }

        private void release(Collection<TopicPartition> released, boolean lost) {
            Set<Integer> gone = numbers(released);
            if (gone.isEmpty()) {
                return;
            }
            Set<Integer> rest = new HashSet<>(owned.partitions());
            rest.removeAll(gone);
            owned = new OwnedPartitions(rest, partitionCount);
            LOG.infof("%s partitions %s of %s; still owning %s", lost ? "lost" : "giving up", gone, topic, owned);
            call(() -> listener.releasing(new OwnedPartitions(gone, partitionCount), lost));
        }

        private void call(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "ownership listener failed");
            }
        }
    }

    private Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> n = new HashSet<>();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topic)) {
                n.add(tp.partition());
            }
        }
        return n;
    }

    /** Leaves the group: its clusters go to the other replicas at once (after the listener released them). */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        consumer.wakeup();
        try {
            t.join(releaseTimeout.plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
