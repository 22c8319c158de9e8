package dev.lifeboat.retention.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.retention.messaging.ClusterRegistry;
import dev.lifeboat.store.Regions;

/** Ready when every region's bucket answers and the cluster registry has been read. */
@Readiness
@ApplicationScoped
public class ObjectStoresHealthCheck implements HealthCheck {
    private final Regions regions;
    private final ClusterRegistry registry;

    public ObjectStoresHealthCheck(Regions regions, ClusterRegistry registry) {
        this.regions = regions;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-stores").up();
        for (String region : regions.names()) {
            boolean reachable = regions.get(region).isReachable();
            response.withData(region, reachable ? "reachable" : "unreachable");
            if (!reachable) {
                response.down();
            }
        }
        response.withData("cluster-registry", registry.isReady() ? "loaded" : "loading");
        if (!registry.isReady()) {
            response.down();
        }
        return response.build();
    }
}
