package dev.lifeboat.retention.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.lifeboat.retention.SyntheticSnapshots;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TestCaller;
import dev.lifeboat.testing.TokenMinter;

/**
 * The retention plan endpoint and the metrics with no token, an expired token, a token signed by
 * another key and each role; anonymous health without addresses. Tokens are verified for real,
 * against {@link TokenMinter#shared()}'s key.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class ApiSecurityIT {
    private static final String CLUSTER = "retention-security-it";

    @Inject
    Regions regions;

    static RequestSpecification as(TestCaller caller) {
        String token = caller.token();
        return token == null ? given() : given().auth().oauth2(token);
    }

    @ParameterizedTest
    @EnumSource(TestCaller.class)
    void thePlanNeedsAViewer(TestCaller who) {
        Instant takenAt = Instant.parse("2026-02-01T00:00:00Z");
        SyntheticSnapshots.write(new SyntheticSnapshots.Written(regions.primary(), CLUSTER,
                SnapshotIds.newSnapshotId(takenAt), takenAt, true, true));

        Response response = as(who).get("/api/v1/clusters/{id}/retention", CLUSTER);
        int expected = who.expectedStatus(TestCaller.VIEWER, 200);
        response.then().statusCode(expected);
        if (expected == 200) {
            response.then().body("clusterId", equalTo(CLUSTER));
        } else {
            response.then().contentType("application/problem+json").body("status", equalTo(expected));
            assertThat(response.asString()).doesNotContain(CLUSTER);
        }
        if (expected == 401) {
            response.then().header("WWW-Authenticate", containsString("Bearer"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestCaller.class)
    void metricsNeedAViewerOrAScraper(TestCaller who) {
        as(who).get("/q/metrics").then().statusCode(who.expectedStatus(TestCaller.VIEWER, 200));
    }

    @Test
    void aScraperTokenReadsMetricsButNotTheApi() {
        given().auth().oauth2(TokenMinter.metricsToken()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_"));
        given().auth().oauth2(TokenMinter.metricsToken()).get("/api/v1/clusters/{id}/retention", CLUSTER)
                .then().statusCode(403).contentType("application/problem+json");
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
                .doesNotContain("127.0.0.1").doesNotContain(CLUSTER);
    }
}
