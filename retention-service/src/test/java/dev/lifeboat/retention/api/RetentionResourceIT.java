package dev.lifeboat.retention.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TokenMinter;
import io.restassured.specification.RequestSpecification;

/** The plan endpoint's errors, as RFC 9457 problem details. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class RetentionResourceIT {
    private static RequestSpecification asViewer() {
        return given().auth().oauth2(TokenMinter.viewerToken());
    }

    @Test
    void invalidClusterIdIsABadRequest() {
        asViewer().when().get("/api/v1/clusters/{id}/retention", "Not_A_Label")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("errors[0].field", equalTo("clusterId"))
                .body("detail", containsString("DNS-1123"));
    }

    @Test
    void unknownRegionIsABadRequest() {
        asViewer().queryParam("region", "mars").when().get("/api/v1/clusters/{id}/retention", "some-cluster")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown region"));
    }

    @Test
    void aClusterWithNothingAnywhereIsNotFound() {
        asViewer().when().get("/api/v1/clusters/{id}/retention", "retention-nobody-it")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void readinessCoversKafkaAndBothStores() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'object-stores' }.data.primary", equalTo("reachable"))
                .body("checks.find { it.name == 'object-stores' }.data.secondary", equalTo("reachable"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"));
    }
}
