package dev.lifeboat.snapshot.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterRegistryReader;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.EventPublisher;
import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.LifeboatConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The registry of clusters, persisted on the compacted {@link Topics#CLUSTERS} topic: a write is
 * acknowledged by Kafka before it is answered, and a restarted service reads the topic back.
 */
@ApplicationScoped
public class ClusterRegistry {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);

    private final EventPublisher publisher;
    private final String bootstrapServers;
    private final LifeboatConfig.TopicSettings topics;
    private final CopyOnWriteArrayList<BiConsumer<String, ClusterSpec>> listeners = new CopyOnWriteArrayList<>();
    private ClusterRegistryReader reader;

    public ClusterRegistry(EventPublisher publisher, LifeboatConfig config,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.publisher = publisher;
        this.bootstrapServers = bootstrapServers;
        this.topics = config.topics();
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        TopicSetup.ensureTopics(bootstrapServers, topics.partitions(), topics.replicationFactor());
        reader = ClusterRegistryReader.startCaughtUp(bootstrapServers, "snapshot-service-registry",
                (id, spec) -> listeners.forEach(l -> l.accept(id, spec)), Duration.ofSeconds(60));
        LOG.infof("cluster registry ready with %d cluster(s)", reader.all().size());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reader != null) {
            reader.close();
        }
    }

    /** Registers or replaces a cluster; returns once Kafka has acknowledged it. */
    public void put(String clusterId, ClusterSpec spec) {
        ClusterRegistered registered = ClusterRegistered.registered(clusterId, spec, Instant.now(),
                reader.registration(clusterId));
        publisher.publish(registered);
        reader.apply(registered);
        listeners.forEach(l -> l.accept(clusterId, spec));
    }

    /**
     * Removes a cluster from the registry (its snapshots stay in the store). Unless the removal is
     * {@code intended}, the cluster stays on the topic as retired, so the freshness watchdog keeps
     * watching its snapshots; an intended removal writes the tombstone.
     */
    public void remove(String clusterId, boolean intended, String actor) {
        if (intended) {
            publisher.tombstone(Topics.CLUSTERS, clusterId);
            reader.apply(clusterId, null);
        } else {
            Instant now = Instant.now();
            ClusterRegistered retired = new ClusterRegistered(clusterId, reader.get(clusterId).orElseThrow(), now,
                    new ClusterRegistered.Retirement(now, actor),
                    reader.registration(clusterId).map(ClusterRegistered::firstBackupFrom).orElse(null));
            publisher.publish(retired);
            reader.apply(retired);
        }
        listeners.forEach(l -> l.accept(clusterId, null));
    }

    /** The last registration of a deregistered cluster whose backups are still watched. */
    public Optional<ClusterSpec> retired(String clusterId) {
        return Optional.ofNullable(reader.retired().get(clusterId)).map(ClusterRegistered::spec);
    }

    public Optional<ClusterSpec> get(String clusterId) {
        return reader.get(clusterId);
    }

    public Map<String, ClusterSpec> all() {
        return reader.all();
    }

    /** Told of every change, local or from another instance; spec null = removed. */
    public void onChange(BiConsumer<String, ClusterSpec> listener) {
        listeners.add(listener);
    }

    public boolean isReady() {
        return reader != null && reader.isCaughtUp();
    }
}
