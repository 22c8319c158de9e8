package dev.lifeboat.snapshot.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.store.Regions;

/** Ready only when the primary region's bucket answers: without it no snapshot can be stored. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealth implements HealthCheck {
    private final Regions regions;

    public ObjectStoreHealth(Regions regions) {
        this.regions = regions;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("object-store-primary")
                .withData("region", regions.primaryName())
                .withData("endpoint", regions.primary().location());
        return regions.primary().isReachable() ? b.up().build() : b.down().build();
    }
}
