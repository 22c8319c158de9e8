package dev.lifeboat.snapshot.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.snapshot.etcd.ClusterProbe;
import dev.lifeboat.snapshot.registry.ClusterRegistry;

/**
 * Reports, per registered cluster, how many endpoints answer. An unreachable cluster is the
 * cluster's problem, not the service's: it shows in the data and in failure events, and the
 * check stays UP so the service keeps serving the others. DOWN only while the registry is not loaded.
 */
@Readiness
@ApplicationScoped
public class EtcdReachabilityHealth implements HealthCheck {
    private final ClusterRegistry registry;

    public EtcdReachabilityHealth(ClusterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("etcd-clusters");
        if (!registry.isReady()) {
            return b.down().withData("registry", "loading").build();
        }
        registry.all().forEach((id, spec) -> b.withData(id, describe(spec)));
        return b.up().build();
    }

    private static String describe(ClusterSpec spec) {
        try (ClusterProbe.Result r = ClusterProbe.probe(spec, Duration.ofSeconds(2))) {
            return r.reachable().size() + "/" + spec.endpoints().size() + " endpoints reachable";
        } catch (RuntimeException e) {
            return "not probed: " + e.getMessage();
        }
    }
}
