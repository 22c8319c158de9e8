package dev.lifeboat.retention.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterRegistryReader;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.LifeboatConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The registered clusters, read from the compacted {@link Topics#CLUSTERS} topic. */
@ApplicationScoped
public class ClusterRegistry {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);

    private final String bootstrapServers;
    private final LifeboatConfig.TopicSettings topics;
    private volatile ClusterRegistryReader reader;

    public ClusterRegistry(LifeboatConfig config,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.topics = config.topics();
    }

    // before anything else subscribes, so the registry topic is created compacted
    void onStart(@Observes @Priority(1) StartupEvent event) throws InterruptedException {
        TopicSetup.ensureTopics(bootstrapServers, topics.partitions(), topics.replicationFactor(),
                Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED, Topics.SNAPSHOTS_REPLICATED);
        reader = ClusterRegistryReader.startCaughtUp(bootstrapServers, "retention-service-registry", null,
                Duration.ofSeconds(60));
        LOG.infof("cluster registry ready with %d cluster(s)", reader.all().size());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reader != null) {
            reader.close();
        }
    }

    public Optional<ClusterSpec> get(String clusterId) {
        return reader == null ? Optional.empty() : reader.get(clusterId);
    }

    public Optional<ClusterRegistered> registration(String clusterId) {
        return reader == null ? Optional.empty() : reader.registration(clusterId);
    }

    public Map<String, ClusterSpec> all() {
        return reader == null ? Map.of() : reader.all();
    }

    /** Deregistered clusters whose backups are still expected, with their last spec: watched while snapshots remain. */
    public Map<String, ClusterSpec> retired() {
        return reader == null ? Map.of() : reader.retired().entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().spec()));
    }

    public boolean isReady() {
        return reader != null && reader.isCaughtUp();
    }
}
