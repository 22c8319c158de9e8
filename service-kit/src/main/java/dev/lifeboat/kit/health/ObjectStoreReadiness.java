package dev.lifeboat.kit.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.store.Regions;

/**
 * Readiness of the object stores: each region reported as reachable or unreachable; DOWN when a
 * watched region does not answer ({@code lifeboat.health.regions}: the primary, or all).
 */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {
    private final Regions regions;
    private final HealthConfig.WatchedRegions watched;

    public ObjectStoreReadiness(Regions regions, HealthConfig config) {
        this.regions = regions;
        this.watched = config.regions();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-stores").up()
                .withData("watched", watched.name().toLowerCase());
        for (String name : regions.names()) {
            boolean reachable = regions.get(name).isReachable();
            response.withData(name, reachable ? "reachable" : "unreachable");
            boolean isWatched = watched == HealthConfig.WatchedRegions.ALL || name.equals(regions.primaryName());
            if (!reachable && isWatched) {
                response.down();
            }
        }
        return response.build();
    }
}
