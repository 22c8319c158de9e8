package dev.lifeboat.verifier.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.store.Regions;

/** Ready only while the primary region's object store answers: every verification reads from it. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {
    private final Regions regions;

    public ObjectStoreReadiness(Regions regions) {
        this.regions = regions;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = regions.primary().isReachable();
        return HealthCheckResponse.named("object-store")
                .withData("region", regions.primaryName())
                .status(up)
                .build();
    }
}
