package dev.lifeboat.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes an {@link EventPublisher} for a service, named after {@code quarkus.application.name}. */
@ApplicationScoped
public class EventPublisherProducer {
    @Produces
    @ApplicationScoped
    EventPublisher publisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                             @ConfigProperty(name = "quarkus.application.name") String service,
                             @ConfigProperty(name = "lifeboat.events.publish-timeout", defaultValue = "PT30S")
                             Duration timeout) {
        return new EventPublisher(bootstrapServers, service, timeout);
    }

    void close(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
