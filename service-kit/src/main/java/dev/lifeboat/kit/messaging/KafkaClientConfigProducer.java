package dev.lifeboat.kit.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.common.annotation.Identifier;

/** The service's {@link KafkaClientConfig}, from the same {@code kafka.*} settings the SmallRye channels read. */
@ApplicationScoped
public class KafkaClientConfigProducer {
    @Produces
    @Singleton
    KafkaClientConfig kafkaClientConfig(@Identifier("default-kafka-broker") Map<String, Object> kafkaSettings) {
        return KafkaClientConfig.of(kafkaSettings);
    }
}
