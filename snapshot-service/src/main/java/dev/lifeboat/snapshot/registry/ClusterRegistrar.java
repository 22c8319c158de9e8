package dev.lifeboat.snapshot.registry;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.ClusterRegistered;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.EventPublisher;

/**
 * Writes the registry: a registration or removal is acknowledged by Kafka on the compacted
 * {@link Topics#CLUSTERS} topic before it is answered, and is visible in this process's
 * {@link ClusterRegistry} at once.
 */
@ApplicationScoped
public class ClusterRegistrar {
    private final EventPublisher publisher;
    private final ClusterRegistry registry;

    public ClusterRegistrar(EventPublisher publisher, ClusterRegistry registry) {
        this.publisher = publisher;
        this.registry = registry;
    }

    /** Registers or replaces a cluster; returns once Kafka has acknowledged it. */
    public void put(String clusterId, ClusterSpec spec) {
        ClusterRegistered registration = ClusterRegistered.registered(clusterId, spec, Instant.now(),
                registry.registration(clusterId));
        publisher.publish(registration);
        registry.applyWritten(registration);
    }

    /**
     * Removes a cluster from the registry (its snapshots stay in the store). Unless the removal is
     * {@code intended}, the cluster stays on the topic as retired, so the freshness watchdog keeps
     * watching its snapshots; an intended removal writes the tombstone.
     */
    public void remove(String clusterId, boolean intended, String actor) {
        if (intended) {
            publisher.tombstone(Topics.CLUSTERS, clusterId);
            registry.applyRemoved(clusterId);
        } else {
            Instant now = Instant.now();
            ClusterRegistered retired = new ClusterRegistered(clusterId, registry.get(clusterId).orElseThrow(), now,
                    new ClusterRegistered.Retirement(now, actor),
                    registry.registration(clusterId).map(ClusterRegistered::firstBackupFrom).orElse(null));
            publisher.publish(retired);
            registry.applyWritten(retired);
        }
    }
}
