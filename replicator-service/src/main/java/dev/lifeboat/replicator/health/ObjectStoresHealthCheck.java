package dev.lifeboat.replicator.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.store.Regions;

/** Readiness: every region's object store answers and has its bucket. One entry per region. */
@Readiness
@ApplicationScoped
public class ObjectStoresHealthCheck implements HealthCheck {
    private final Regions regions;

    public ObjectStoresHealthCheck(Regions regions) {
        this.regions = regions;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-stores").up();
        for (String name : regions.names()) {
            boolean reachable = regions.get(name).isReachable();
            response.withData(name, reachable ? "reachable" : "unreachable");
            if (!reachable) {
                response.down();
            }
        }
        return response.build();
    }
}
