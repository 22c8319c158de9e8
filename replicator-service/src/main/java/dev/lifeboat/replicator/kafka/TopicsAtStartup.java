package dev.lifeboat.replicator.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.LifeboatConfig;
import io.quarkus.runtime.StartupEvent;

/** Creates Lifeboat's topics at startup when missing, so the registry topic is compacted whoever starts first. */
@ApplicationScoped
public class TopicsAtStartup {
    void onStart(@Observes StartupEvent event, LifeboatConfig config,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        TopicSetup.ensureTopics(bootstrapServers, config.topics().partitions(), config.topics().replicationFactor(),
                Topics.SNAPSHOTS_VERIFIED);
    }
}
