package dev.lifeboat.verifier.verification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.SecretScan;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A real run with a failing verification, a store outage and refused tokens; then the verifier's
 * log, every record on the topics it writes and every answer it gave (problem bodies, health,
 * metrics) are searched for the store's secret key and the tokens.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SecretLeakIT {
    @Inject
    EventPublisher publisher;
    @Inject
    Regions regions;

    @Test
    void noSecretReachesLogsEventsProblemsOrHealth() {
        String clusterId = "verifier-leak";
        String snapshotId = SnapshotIds.newSnapshotId(java.time.Instant.now());
        String viewer = TokenMinter.viewerToken();
        String expired = TokenMinter.shared().expiredToken("late", TokenMinter.ADMIN);
        String forged = TokenMinter.generate().token("forger", TokenMinter.ADMIN);
        String scraper = TokenMinter.metricsToken();
        SecretScan scan = new SecretScan().token(viewer).token(expired).token(forged).token(scraper);
        String bootstrap = LifeboatInfrastructure.servers().kafka().bootstrapServers();
        String path = "/api/v1/clusters/{c}/snapshots/{s}/verification";

        try (TopicRecorder failures = new TopicRecorder(bootstrap, Topics.FAILURES)) {
            // announced, but not in the store: the verdict is a failure event
            publisher.publish(StoredSnapshots.event(regions.primary(), clusterId, snapshotId, 20512, "00"));
            failures.await(TopicRecorder.keyed(clusterId), Duration.ofSeconds(90));
        }
        S3Server s3 = LifeboatInfrastructure.servers().primary();
        s3.stop();
        try {
            scan.answer(given().auth().oauth2(viewer).get(path, clusterId, snapshotId).then().statusCode(503)
                    .extract().asString());
            scan.answer(given().get("/q/health/ready").then().extract().asString());
        } finally {
            s3.start();
        }
        scan.answer(given().auth().oauth2(expired).get(path, clusterId, snapshotId).then().statusCode(401)
                .extract().asString());
        scan.answer(given().auth().oauth2(forged).get(path, clusterId, snapshotId).then().statusCode(401)
                .extract().asString());
        scan.answer(given().auth().oauth2(scraper).get(path, clusterId, snapshotId).then().statusCode(403)
                .extract().asString());
        scan.answer(given().auth().oauth2(scraper).get("/q/metrics").then().statusCode(200).extract().asString());
        scan.answer(given().get("/q/health").then().extract().asString());
        String everything = scan.records(bootstrap, Topics.FAILURES, Topics.SNAPSHOTS_VERIFIED,
                        Topics.deadLetter(Topics.SNAPSHOTS_TAKEN))
                .log(Path.of("target", "verifier-service-test.log"))
                .assertNoSecret();
        assertThat(everything).as("the run happened and was captured").contains(clusterId, "SOURCE_MISSING",
                "unavailable");
    }
}
