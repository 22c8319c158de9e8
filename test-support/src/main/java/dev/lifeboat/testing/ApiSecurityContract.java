package dev.lifeboat.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.restassured.specification.RequestSpecification;

/**
 * What every service's REST security must do, written once; each service's {@code ApiSecurityIT}
 * (a {@code @QuarkusTest} against {@link LifeboatInfrastructure}) extends it and adds its own
 * endpoints. {@code /q/metrics} needs a viewer or a scraper; a scraper's token reads metrics and
 * nothing of the API; health is anonymous and names no address (the tokens are verified for real,
 * against {@link TokenMinter#shared()}'s key).
 */
public abstract class ApiSecurityContract {

    /** A request as {@code caller} (no Authorization header for {@link TestCaller#NO_TOKEN}). */
    protected static RequestSpecification as(TestCaller caller) {
        String token = caller.token();
        return token == null ? given() : given().auth().oauth2(token);
    }

    /** A GET path of the service's API that a viewer may call; empty: the service has none. */
    protected abstract Optional<String> viewerPath();

    /**
     * What health must not name besides the addresses of {@link LifeboatInfrastructure}'s servers
     * (e.g. a registered cluster's id, another server's address); called before health is read, so
     * it may set up what it names.
     */
    protected List<String> namedNowhereInHealth() {
        return List.of();
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
        viewerPath().ifPresent(path -> given().auth().oauth2(TokenMinter.metricsToken()).get(path)
                .then().statusCode(403).contentType("application/problem+json"));
    }

    @Test
    void healthIsAnonymousAndNamesNoAddress() {
        List<String> named = namedNowhereInHealth();
        String body = given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.data.state", equalTo("reachable"))
                .body("checks.find { it.name == 'api-security' }.data.authentication", equalTo("bearer tokens"))
                .extract().asString();
        LifeboatInfrastructure.Servers servers = LifeboatInfrastructure.servers();
        assertThat(body).doesNotContain(servers.kafka().bootstrapServers())
                .doesNotContain(servers.primary().endpoint()).doesNotContain(servers.secondary().endpoint())
                .doesNotContain("127.0.0.1");
        named.forEach(n -> assertThat(body).doesNotContain(n));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
