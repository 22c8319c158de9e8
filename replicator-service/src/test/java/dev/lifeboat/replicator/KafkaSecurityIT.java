package dev.lifeboat.replicator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.testing.ScramInfrastructure;
import dev.lifeboat.testing.ScramProfile;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The service on a broker that requires SASL/SCRAM, given the credentials only as {@code kafka.*}
 * settings: it starts (topic set-up: admin; the registry: consumer), is ready (the kit's Kafka
 * check: admin), publishes through the kit's producer, and its SmallRye channel consumes and
 * dead-letters (channel consumer and producer). A client without credentials is refused.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EventPublisher publisher;

    @Test
    void everyClientOfTheServiceUsesTheOperatorsSaslSettings() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cluster-registry' }.status", equalTo("UP"));
        try (TopicRecorder recorder = ScramInfrastructure.recorder(Topics.FAILURES, Topics.deadLetter("lifeboat.snapshots.verified"))) {
            publisher.publish(BackupFailed.of("scram-probe", null, Stage.REGISTRY, FailureReason.INTERNAL,
                    "published through the kit's producer", null, 1));
            recorder.await(r -> Topics.FAILURES.equals(r.topic()) && "scram-probe".equals(r.key()), WAIT);

            ScramInfrastructure.send("lifeboat.snapshots.verified", "scram-dead-letter", "no event".getBytes(StandardCharsets.UTF_8));
            recorder.await(r -> Topics.deadLetter("lifeboat.snapshots.verified").equals(r.topic())
                    && "scram-dead-letter".equals(r.key()), WAIT);
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        assertThat(ScramInfrastructure.refusesClientsWithoutCredentials(Duration.ofSeconds(5))).isTrue();
    }
}
