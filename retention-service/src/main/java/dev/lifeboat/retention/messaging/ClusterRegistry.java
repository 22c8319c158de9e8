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
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The registered clusters, read from the compacted {@link Topics#CLUSTERS} topic. */
@ApplicationScoped
public class ClusterRegistry {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);

    private final String bootstrapServers;
    private final int partitions;
    private final short replicationFactor;
    private volatile ClusterRegistryReader reader;

    public ClusterRegistry(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                           @ConfigProperty(name = "lifeboat.topics.partitions", defaultValue = "3") int partitions,
                           @ConfigProperty(name = "lifeboat.topics.replication-factor", defaultValue = "1")
                           short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    // before anything else subscribes, so the registry topic is created compacted
    void onStart(@Observes @Priority(1) StartupEvent event) throws InterruptedException {
        TopicSetup.ensureTopics(bootstrapServers, partitions, replicationFactor,
                Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED, Topics.SNAPSHOTS_REPLICATED);
        reader = new ClusterRegistryReader(bootstrapServers, "retention-service-registry", null).start();
        if (!reader.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("could not read the cluster registry from " + Topics.CLUSTERS
                    + " on " + bootstrapServers + " within 60 s");
        }
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

    public boolean isReady() {
        return reader != null && reader.isCaughtUp();
    }
}
