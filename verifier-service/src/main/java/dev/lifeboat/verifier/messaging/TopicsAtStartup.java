package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;
import dev.lifeboat.store.LifeboatConfig;

/** Creates Lifeboat's topics and this service's dead-letter topic when they are missing. */
@ApplicationScoped
public class TopicsAtStartup {
    void onStart(@Observes StartupEvent event, LifeboatConfig config,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        TopicSetup.ensureTopics(bootstrapServers, config.topics().partitions(), config.topics().replicationFactor(),
                Topics.SNAPSHOTS_TAKEN);
    }
}
