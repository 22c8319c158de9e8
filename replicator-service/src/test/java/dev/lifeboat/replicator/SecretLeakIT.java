package dev.lifeboat.replicator;

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
 * A store outage and refused tokens; then the replicator's log, every record on the topics it
 * writes and every answer it gave (health, metrics) are searched for the stores' secret key and
 * the tokens.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class SecretLeakIT {
    @Test
    void noSecretReachesLogsEventsOrHealth() {
        String expired = TokenMinter.shared().expiredToken("late", TokenMinter.ADMIN);
        String forged = TokenMinter.generate().token("forger", TokenMinter.ADMIN);
        String scraper = TokenMinter.metricsToken();
        SecretScan scan = new SecretScan().token(expired).token(forged).token(scraper);

        S3Server s3 = LifeboatInfrastructure.servers().secondary();
        s3.stop();
        try {
            scan.answer(given().get("/q/health/ready").then().extract().asString());
        } finally {
            s3.start();
        }
        scan.answer(given().auth().oauth2(expired).get("/q/metrics").then().statusCode(401).extract().asString());
        scan.answer(given().auth().oauth2(forged).get("/q/metrics").then().statusCode(401).extract().asString());
        scan.answer(given().auth().oauth2(scraper).get("/q/metrics").then().statusCode(200).extract().asString());
        scan.answer(given().get("/q/health").then().extract().asString());
        String everything = scan.records(LifeboatInfrastructure.servers().kafka().bootstrapServers(), Topics.FAILURES,
                        Topics.SNAPSHOTS_REPLICATED, Topics.deadLetter(Topics.SNAPSHOTS_VERIFIED))
                .log(Path.of("target", "replicator-service-test.log"))
                .assertNoSecret();
        assertThat(everything).as("the run happened and was captured").contains("unreachable", "lifeboat_");
    }
}
