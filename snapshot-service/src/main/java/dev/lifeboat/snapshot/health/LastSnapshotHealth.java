package dev.lifeboat.snapshot.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.snapshot.taking.SnapshotOutcomes;

/**
 * How many registered clusters' last snapshot attempt went well (so whether their etcd was reachable),
 * without contacting thousands of clusters on every probe. An unreachable cluster is the
 * cluster's problem, not the service's: it shows here and in failure events, and the check stays
 * UP so the service keeps serving the others. DOWN only while the registry is not loaded.
 */
@Readiness
@ApplicationScoped
public class LastSnapshotHealth implements HealthCheck {
    private final ClusterRegistry registry;
    private final SnapshotOutcomes outcomes;

    public LastSnapshotHealth(ClusterRegistry registry, SnapshotOutcomes outcomes) {
        this.registry = registry;
        this.outcomes = outcomes;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("etcd-clusters");
        if (!registry.isReady()) {
            return b.down().withData("registry", "loading").build();
        }
        // counts only: health is anonymous, cluster ids and failure reasons are for authenticated callers
        long ok = 0;
        long failed = 0;
        long notYet = 0;
        for (String id : registry.all().keySet()) {
            var outcome = outcomes.last(id);
            if (outcome.isEmpty()) {
                notYet++;
            } else if (outcome.get().reason() == null) {
                ok++;
            } else {
                failed++;
            }
        }
        return b.withData("clusters", registry.all().size())
                .withData("lastSnapshotOk", ok)
                .withData("lastSnapshotFailed", failed)
                .withData("noSnapshotYet", notYet)
                .up().build();
    }
}
