package dev.lifeboat.replicator.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;
import dev.lifeboat.replicator.config.ReplicatorConfig;
import io.quarkus.runtime.StartupEvent;

/** Creates Lifeboat's topics at startup when missing, so the registry topic is compacted whoever starts first. */
@ApplicationScoped
public class TopicsAtStartup {
    void onStart(@Observes StartupEvent event, ReplicatorConfig config,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        TopicSetup.ensureTopics(bootstrapServers, config.topicPartitions(), config.topicReplicationFactor(),
                Topics.SNAPSHOTS_VERIFIED);
    }
}
