package dev.lifeboat.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.kit.config.LifeboatConfig;

/** Makes the service's {@link EventPublisher}, named after {@code quarkus.application.name}. */
@ApplicationScoped
public class EventPublisherProducer {
    @Produces
    @ApplicationScoped
    EventPublisher publisher(KafkaClientConfig kafka, LifeboatConfig config,
                             @ConfigProperty(name = "quarkus.application.name") String service) {
        return new EventPublisher(kafka, service, config.events().publishTimeout());
    }

    void close(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
