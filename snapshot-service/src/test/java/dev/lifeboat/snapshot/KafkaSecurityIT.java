package dev.lifeboat.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.ScramInfrastructure;
import dev.lifeboat.testing.ScramProfile;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The snapshot-service on a broker that requires SASL/SCRAM, given the credentials only as
 * {@code kafka.*} settings: it starts (topic set-up: admin; the registry: consumer), is ready (the
 * kit's Kafka check: admin), and a registration reaches the registry and the audit topic (the
 * kit's producer). A client without credentials is refused.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT extends SnapshotServiceTestBase {
    @Test
    void everyClientOfTheServiceUsesTheOperatorsSaslSettings() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cluster-registry' }.status", equalTo("UP"));
        asAdmin().contentType(ContentType.JSON).body(plain("http://127.0.0.1:2379"))
                .put("/api/v1/clusters/scram-probe").then().statusCode(201);
        try (TopicRecorder recorder = ScramInfrastructure.recorder(Topics.CLUSTERS, Topics.AUDIT)) {
            recorder.await(r -> Topics.CLUSTERS.equals(r.topic()) && "scram-probe".equals(r.key()), Duration.ofSeconds(60));
            recorder.await(r -> Topics.AUDIT.equals(r.topic()) && "scram-probe".equals(r.key()), Duration.ofSeconds(60));
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        assertThat(ScramInfrastructure.refusesClientsWithoutCredentials(Duration.ofSeconds(5))).isTrue();
    }
}
