package dev.lifeboat.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.ApiSecurityContract;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TestCaller;
import dev.lifeboat.testing.TokenMinter;
import dev.lifeboat.testing.store.StoreFixtures;

/**
 * The verifier's one endpoint and its metrics with no token, an expired token, a token signed by
 * another key and each role; anonymous health without addresses. Tokens are verified for real,
 * against {@link TokenMinter#shared()}'s key.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class ApiSecurityIT extends ApiSecurityContract {
    private static final String CLUSTER = "verifier-security-it";
    private static final String SNAPSHOT = SnapshotIds.newSnapshotId(Instant.parse("2026-02-01T00:00:00Z"));

    @Inject
    Regions regions;

    @ParameterizedTest
    @EnumSource(TestCaller.class)
    void theVerificationReportNeedsAViewer(TestCaller who) {
        SnapshotManifest manifest = StoreFixtures.manifest(CLUSTER, SNAPSHOT).storedAsIs(3, "0".repeat(64)).build();
        StoreFixtures.writeVerification(regions.primary(), manifest, Map.of("snapshotId", SNAPSHOT, "liveKeys", 7));

        Response response = as(who).get("/api/v1/clusters/{c}/snapshots/{s}/verification", CLUSTER, SNAPSHOT);
        int expected = who.expectedStatus(TestCaller.VIEWER, 200);
        response.then().statusCode(expected);
        if (expected == 200) {
            response.then().body("liveKeys", equalTo(7));
        } else {
            response.then().contentType("application/problem+json").body("status", equalTo(expected));
            assertThat(response.asString()).doesNotContain("liveKeys");
        }
        if (expected == 401) {
            response.then().header("WWW-Authenticate", containsString("Bearer"));
        }
    }

    @Override
    protected Optional<String> viewerPath() {
        return Optional.of("/api/v1/clusters/" + CLUSTER + "/snapshots/" + SNAPSHOT + "/verification");
    }

    @Override
    protected List<String> namedNowhereInHealth() {
        return List.of(CLUSTER);
    }
}
