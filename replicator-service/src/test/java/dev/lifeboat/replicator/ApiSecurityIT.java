package dev.lifeboat.replicator;

import java.util.List;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.lifeboat.testing.ApiSecurityContract;
import dev.lifeboat.testing.LifeboatInfrastructure;

/**
 * The replicator has no REST API of its own: its metrics need a viewer's or a scraper's token,
 * and its anonymous health names no address (the third region's neither).
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
@QuarkusTestResource(ThirdRegion.class)
class ApiSecurityIT extends ApiSecurityContract {
    @Override
    protected Optional<String> viewerPath() {
        return Optional.empty();
    }

    @Override
    protected List<String> namedNowhereInHealth() {
        return List.of(ThirdRegion.server().endpoint());
    }
}
