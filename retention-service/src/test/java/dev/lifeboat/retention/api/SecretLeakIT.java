package dev.lifeboat.retention.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.SecretScan;
import dev.lifeboat.testing.TokenMinter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A store outage and refused tokens; then the retention-service's log, every record on the topics
 * it writes and every answer it gave (problem bodies, health, metrics) are searched for the
 * store's secret key and the tokens.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SecretLeakIT {
    @Test
    void noSecretReachesLogsEventsProblemsOrHealth() {
        String viewer = TokenMinter.viewerToken();
        String expired = TokenMinter.shared().expiredToken("late", TokenMinter.ADMIN);
        String forged = TokenMinter.generate().token("forger", TokenMinter.ADMIN);
        String scraper = TokenMinter.metricsToken();
        SecretScan scan = new SecretScan().token(viewer).token(expired).token(forged).token(scraper);
        String path = "/api/v1/clusters/{id}/retention";

        S3Server s3 = LifeboatInfrastructure.servers().primary();
        s3.stop();
        try {
            scan.answer(given().auth().oauth2(viewer).get(path, "retention-leak").then().statusCode(503)
                    .extract().asString());
            scan.answer(given().get("/q/health/ready").then().extract().asString());
        } finally {
            s3.start();
        }
        scan.answer(given().auth().oauth2(expired).get(path, "retention-leak").then().statusCode(401)
                .extract().asString());
        scan.answer(given().auth().oauth2(forged).get(path, "retention-leak").then().statusCode(401)
                .extract().asString());
        scan.answer(given().auth().oauth2(scraper).get(path, "retention-leak").then().statusCode(403)
                .extract().asString());
        scan.answer(given().auth().oauth2(scraper).get("/q/metrics").then().statusCode(200).extract().asString());
        scan.answer(given().get("/q/health").then().extract().asString());
        String everything = scan.records(LifeboatInfrastructure.servers().kafka().bootstrapServers(), Topics.FAILURES,
                        Topics.deadLetter(Topics.SNAPSHOTS_TAKEN), Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED))
                .log(Path.of("target", "retention-service-test.log"))
                .assertNoSecret();
        assertThat(everything).as("the run happened and was captured").contains("unavailable", "retention-leak");
    }
}
