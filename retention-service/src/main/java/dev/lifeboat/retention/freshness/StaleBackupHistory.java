package dev.lifeboat.retention.freshness;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.MalformedEventException;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import dev.lifeboat.retention.config.RetentionConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The freshness episodes as {@link Topics#FAILURES} tells them: every STALE_BACKUP raise and
 * resolve published within {@code watchdog.episode-lookback} is read at start-up (no consumer
 * group, every partition) and the topic is followed, each one {@link StalenessTracker#replayed
 * replayed} into the watchdog's tracker. So after a restart a lasting condition is not raised as a
 * new episode, one that cleared while the service was down is resolved, and an episode raised by
 * another replica is known here too. The service starts once the lookback has been read.
 */
@ApplicationScoped
public class StaleBackupHistory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StaleBackupHistory.class);
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClientConfig kafka;
    private final String clientId;
    private final Duration lookback;
    private final Clock clock;
    private final StalenessTracker tracker;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Thread thread;
    private KafkaConsumer<String, byte[]> consumer;

    @Inject
    public StaleBackupHistory(KafkaClientConfig kafka, RetentionConfig config, Clock clock,
                              @ConfigProperty(name = "quarkus.application.name") String service) {
        this.kafka = kafka;
        this.clientId = service + "-stale-backup-history";
        this.lookback = config.watchdog().episodeLookback();
        this.clock = clock;
        this.tracker = new StalenessTracker(config.watchdog().repeatEvery());
    }

    /** The episodes, as published by anyone and as this process decides them. */
    public StalenessTracker tracker() {
        return tracker;
    }

    // after the topics exist and the registry is read, before the schedules start
    void onStart(@Observes @Priority(3) StartupEvent event) throws InterruptedException {
        startCaughtUp(CATCH_UP_TIMEOUT);
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    /** Starts reading and waits until the lookback has been read; fails when Kafka does not deliver it in time. */
    public StaleBackupHistory startCaughtUp(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (thread == null) {
                consumer = new KafkaConsumer<>(kafka.consumer(clientId), new StringDeserializer(),
                        new ByteArrayDeserializer());
                running = true;
                thread = new Thread(this::run, "stale-backup-history");
                thread.setDaemon(true);
                thread.start();
            }
        }
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("could not read the STALE_BACKUP history from " + Topics.FAILURES
                    + " on " + kafka.bootstrapServers() + " within " + timeout.toSeconds() + " s");
        }
        return this;
    }

    /** True once the lookback has been read and the topic is still followed. */
    public boolean isReady() {
        Thread t = thread;
        return caughtUp.getCount() == 0 && t != null && t.isAlive();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            seekToLookback(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            int replayed = 0;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    replayed += apply(r) ? 1 : 0;
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("STALE_BACKUP history read: %d raise(s) and resolve(s) of the last %s", replayed, lookback);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("STALE_BACKUP history reader stopped; the watchdog waits until the service is restarted", e);
        } finally {
            consumer.close();
        }
    }

    private void seekToLookback(List<TopicPartition> partitions) {
        long since = clock.instant().minus(lookback).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp at = offsets.get(p);
            if (at == null) {
                consumer.seekToEnd(List.of(p)); // nothing that recent
            } else {
                consumer.seek(p, at.offset());
            }
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.FAILURES, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    /** @return true for a STALE_BACKUP raise or resolve, which is replayed into the tracker */
    private boolean apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return false;
        }
        LifeboatEvent event;
        try {
            event = CloudEventCodec.decode(r);
        } catch (MalformedEventException | IllegalArgumentException e) {
            return false; // not ours to judge here: every consumer of the topic sees it
        }
        if (event instanceof BackupFailed f && f.stage() == Stage.FRESHNESS && f.reason() == FailureReason.STALE_BACKUP
                && f.clusterId() != null && f.region() != null && f.time() != null) {
            tracker.replayed(FreshnessWatchdog.key(f.clusterId(), f.region()), f.resolved(), f.attempt(), f.time());
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
