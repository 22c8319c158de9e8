package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;

/** Creates Lifeboat's topics and this service's dead-letter topic when they are missing. */
@ApplicationScoped
public class TopicsAtStartup {
    private final String bootstrapServers;
    private final int partitions;
    private final short replicationFactor;

    public TopicsAtStartup(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                           @ConfigProperty(name = "lifeboat.topics.partitions", defaultValue = "3") int partitions,
                           @ConfigProperty(name = "lifeboat.topics.replication-factor", defaultValue = "1")
                           short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    void onStart(@Observes StartupEvent event) {
        TopicSetup.ensureTopics(bootstrapServers, partitions, replicationFactor, Topics.SNAPSHOTS_TAKEN);
    }
}
