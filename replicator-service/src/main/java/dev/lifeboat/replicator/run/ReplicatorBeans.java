package dev.lifeboat.replicator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.events.ClusterRegistryReader;
import dev.lifeboat.replicator.plan.LagBook;

/** The plain objects the replicator shares as beans: the cluster registry and the lag book. */
@ApplicationScoped
public class ReplicatorBeans {
    @Produces
    @ApplicationScoped
    ClusterRegistryReader registry(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                                   @ConfigProperty(name = "quarkus.application.name") String service) {
        return new ClusterRegistryReader(bootstrapServers, service + "-registry", null).start();
    }

    void close(@Disposes ClusterRegistryReader registry) {
        registry.close();
    }

    @Produces
    @ApplicationScoped
    LagBook lagBook() {
        return new LagBook();
    }
}
