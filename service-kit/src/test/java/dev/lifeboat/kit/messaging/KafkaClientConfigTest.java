package dev.lifeboat.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaClientConfigTest {
    private static final Map<String, Object> OPERATOR = Map.of(
            "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/lifeboat/kafka/truststore.p12",
            "group.id", "retention-service",
            "auto.offset.reset", "latest");

    private final KafkaClientConfig config = KafkaClientConfig.of(OPERATOR);

    @Test
    void securitySettingsReachProducerConsumerAndAdmin() {
        for (Properties p : new Properties[] {config.producer("p", Duration.ofSeconds(30)), config.consumer("c"),
                config.admin("a")}) {
            assertThat(p).containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.location", "/etc/lifeboat/kafka/truststore.p12")
                    .containsKey("sasl.jaas.config");
        }
    }

    @Test
    void channelSettingsStayWithTheChannels() {
        assertThat(config.consumer("c")).doesNotContainKey("group.id").containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void aPublishHasRoomForRetriesWithinItsTimeLimit() {
        Properties p = config.producer("p", Duration.ofSeconds(30));
        int request = (int) p.get("request.timeout.ms");
        int delivery = (int) p.get("delivery.timeout.ms");
        assertThat(delivery).isEqualTo(30_000);
        assertThat(request).isLessThanOrEqualTo(delivery / 3);
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }

    @Test
    void secretsAreNotPrinted() {
        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("ScramLoginModule");
    }

    @Test
    void bootstrapServersAreRequired() {
        assertThatThrownBy(() -> KafkaClientConfig.of(Map.of("security.protocol", "SSL")))
                .hasMessageContaining("kafka.bootstrap.servers");
    }
}
