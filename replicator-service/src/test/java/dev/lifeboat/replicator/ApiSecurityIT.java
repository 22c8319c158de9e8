package dev.lifeboat.replicator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TestCaller;
import dev.lifeboat.testing.TokenMinter;

/**
 * The replicator has no REST API of its own: its metrics need a viewer's or a scraper's token,
 * and its anonymous health names no address.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class ApiSecurityIT {
    static RequestSpecification as(TestCaller caller) {
        String token = caller.token();
        return token == null ? given() : given().auth().oauth2(token);
    }

    @ParameterizedTest
    @EnumSource(TestCaller.class)
    void metricsNeedAViewerOrAScraper(TestCaller who) {
        as(who).get("/q/metrics").then().statusCode(who.expectedStatus(TestCaller.VIEWER, 200));
    }

    @Test
    void aScraperTokenReadsMetrics() {
        given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_"));
    }

    @Test
    void healthIsAnonymousAndNamesNoAddress() {
        String body = given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.data.state", equalTo("reachable"))
                .body("checks.find { it.name == 'api-security' }.data.authentication", equalTo("bearer tokens"))
                .extract().asString();
        LifeboatInfrastructure.Servers servers = LifeboatInfrastructure.servers();
        assertThat(body).doesNotContain(servers.kafka().bootstrapServers())
                .doesNotContain(servers.primary().endpoint()).doesNotContain(servers.secondary().endpoint())
                .doesNotContain(ThirdRegion.server().endpoint()).doesNotContain("127.0.0.1");
    }
}
