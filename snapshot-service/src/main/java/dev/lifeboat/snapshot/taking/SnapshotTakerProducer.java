package dev.lifeboat.snapshot.taking;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.etcd.ClusterProbe;
import dev.lifeboat.store.Regions;

/** The one {@link ClusterProbe} (a fixed thread budget for the whole service) and the one {@link SnapshotTaker}, writing into the primary region, configured from {@code lifeboat.snapshot.*}. */
public class SnapshotTakerProducer {
    @Produces
    @Singleton
    ClusterProbe probe(SnapshotConfig config) {
        return new ClusterProbe(config.probeThreads(), config.probePerCluster(), config.keepaliveTime(),
                config.keepaliveTimeout());
    }

    void close(@Disposes ClusterProbe probe) {
        probe.close();
    }

    @Produces
    @Singleton
    SnapshotTaker taker(SnapshotConfig config, Regions regions, ClusterProbe probe,
                        @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new SnapshotTaker(regions.primary(), probe, SnapshotLimits.of(config), config.bufferKib(),
                "lifeboat-snapshot-service/" + version + " (jetcd Maintenance.snapshot)");
    }
}
