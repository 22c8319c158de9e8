package dev.lifeboat.kit.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.config.LifeboatConfig;
import dev.lifeboat.kit.ownership.OwnershipConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates Lifeboat's topics, and the dead-letter topic of every topic this service consumes,
 * before anything else starts (so the registry topic is compacted whoever starts first); the
 * consumed topics come from the service's own channel configuration, which must follow the one
 * dead-letter policy ({@link ConsumedTopics#deadLetterProblems}) or the service does not start.
 */
@ApplicationScoped
public class TopicsAtStartup {
    private static final Logger LOG = Logger.getLogger(TopicsAtStartup.class);

    void onStart(@Observes @Priority(1) StartupEvent event, KafkaClientConfig kafka, LifeboatConfig config,
                 OwnershipConfig ownership, Config settings) {
        Function<String, Optional<String>> value = name -> settings.getOptionalValue(name, String.class);
        List<String> problems = ConsumedTopics.deadLetterProblems(settings.getPropertyNames(), value);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("dead-letter configuration: " + String.join("; ", problems));
        }
        Map<String, String> consumed = ConsumedTopics.byChannel(settings.getPropertyNames(), value);
        Collection<String> topics = consumed.values();
        TopicSetup setup = new TopicSetup(kafka, config.topics().partitions(), config.topics().replicationFactor());
        setup.ensure(topics);
        if (ownership.enabled()) {
            setup.ensureOwnership(Topics.ownership(settings.getValue("quarkus.application.name", String.class)),
                    ownership.partitions());
        }
        LOG.infof("topics ready on %s; consumed here: %s", kafka.bootstrapServers(), consumed);
    }
}
