package dev.lifeboat.snapshot.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.snapshot.registry.ClusterRegistry;
import dev.lifeboat.snapshot.service.SnapshotRunner;

/**
 * Per registered cluster, how its last snapshot attempt went (so whether its etcd was reachable),
 * without contacting thousands of clusters on every probe. An unreachable cluster is the
 * cluster's problem, not the service's: it shows here and in failure events, and the check stays
 * UP so the service keeps serving the others. DOWN only while the registry is not loaded.
 */
@Readiness
@ApplicationScoped
public class LastSnapshotHealth implements HealthCheck {
    private final ClusterRegistry registry;
    private final SnapshotRunner runner;

    public LastSnapshotHealth(ClusterRegistry registry, SnapshotRunner runner) {
        this.registry = registry;
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("etcd-clusters");
        if (!registry.isReady()) {
            return b.down().withData("registry", "loading").build();
        }
        b.withData("clusters", registry.all().size());
        registry.all().keySet().forEach(id -> b.withData(id, runner.lastOutcome(id)
                .map(o -> (o.reason() == null ? "last snapshot ok" : "last snapshot failed: " + o.reason())
                        + " at " + o.at())
                .orElse("no snapshot attempted yet")));
        return b.up().build();
    }
}
