package dev.lifeboat.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;

/**
 * What every service must do on a broker that needs SASL/SCRAM, written once; each service's
 * {@code KafkaSecurityIT} (a {@code @QuarkusTest} with {@code @TestProfile(ScramProfile.class)}: the
 * credentials reach the service only as {@code kafka.*} settings) extends it and names the work that
 * makes each of its clients talk to Kafka. Readiness (Kafka and the registry reader) is UP, each
 * expected record arrives, and a client without credentials is refused.
 */
public abstract class KafkaSecurityContract {
    protected static final Duration WAIT = Duration.ofSeconds(60);

    /** A record the service's clients must have written: its topic and key. */
    public record Expected(String topic, String key) {
    }

    /** Makes each of the service's clients talk to the broker; returns the records that show it. */
    protected abstract List<Expected> useEveryClient();

    /** A failure event published through the kit's producer ({@code publisher}: the service's {@code EventPublisher::publish}). */
    protected static Expected publishedFailure(Consumer<BackupFailed> publisher) {
        publisher.accept(BackupFailed.of("scram-probe", null, Stage.REGISTRY, FailureReason.INTERNAL,
                "published through the kit's producer", null, 1));
        return new Expected(Topics.FAILURES, "scram-probe");
    }

    /** A record that is no event, sent to a topic the service consumes: its channel parks it on the dead-letter topic. */
    protected static Expected deadLettered(String consumedTopic) {
        ScramInfrastructure.send(consumedTopic, "scram-dead-letter", "no event".getBytes(StandardCharsets.UTF_8));
        return new Expected(Topics.deadLetter(consumedTopic), "scram-dead-letter");
    }

    @Test
    void everyClientOfTheServiceUsesTheOperatorsSaslSettings() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cluster-registry' }.status", equalTo("UP"));
        List<Expected> expected = useEveryClient();
        try (TopicRecorder recorder = ScramInfrastructure.recorder(expected.stream().map(Expected::topic)
                .distinct().toArray(String[]::new))) {
            for (Expected e : expected) {
                recorder.await(r -> e.topic().equals(r.topic()) && e.key().equals(r.key()), WAIT);
            }
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        assertThat(ScramInfrastructure.refusesClientsWithoutCredentials(Duration.ofSeconds(5))).isTrue();
    }
}
