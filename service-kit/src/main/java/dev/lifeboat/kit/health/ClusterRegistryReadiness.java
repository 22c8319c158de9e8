package dev.lifeboat.kit.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.kit.messaging.ClusterRegistry;

/** Ready while the cluster registry has been read and is still followed. */
@Readiness
@ApplicationScoped
public class ClusterRegistryReadiness implements HealthCheck {
    private final ClusterRegistry registry;

    public ClusterRegistryReadiness(ClusterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = registry.isReady();
        return HealthCheckResponse.named("cluster-registry")
                .withData("clusters", registry.all().size())
                .withData("state", ready ? "loaded" : "not loaded or no longer followed")
                .status(ready)
                .build();
    }
}
