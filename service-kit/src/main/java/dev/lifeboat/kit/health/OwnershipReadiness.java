package dev.lifeboat.kit.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.lifeboat.kit.ownership.ClusterOwnership;

/**
 * Ready once this replica has joined its owners group and while its membership runs; always
 * ready where ownership is disabled. Reports how many registered clusters this replica owns.
 */
@Readiness
@ApplicationScoped
public class OwnershipReadiness implements HealthCheck {
    private final ClusterOwnership ownership;

    public OwnershipReadiness(ClusterOwnership ownership) {
        this.ownership = ownership;
    }

    @Override
    public HealthCheckResponse call() {
        if (!ownership.enabled()) {
            return HealthCheckResponse.named("cluster-ownership").withData("state", "disabled: owns every cluster")
                    .up().build();
        }
        boolean ready = ownership.isReady();
        String problem = ownership.problem();
        return HealthCheckResponse.named("cluster-ownership")
                .withData("replica", ownership.replica())
                .withData("topic", ownership.topic())
                .withData("owned-clusters", ownership.ownedClusters().size())
                .withData("partitions", ownership.ownedPartitions().toString())
                .withData("state", problem != null ? problem : ready ? "member of the owners group" : "joining")
                .status(ready)
                .build();
    }
}
