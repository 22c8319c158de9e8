package dev.lifeboat.snapshot.taking;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.store.Regions;

/** The one {@link SnapshotTaker}, writing into the primary region, configured from {@code lifeboat.snapshot.*}. */
public class SnapshotTakerProducer {
    @Produces
    @Singleton
    SnapshotTaker taker(SnapshotConfig config, Regions regions,
                        @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new SnapshotTaker(regions.primary(), SnapshotLimits.of(config), config.bufferKib(),
                "lifeboat-snapshot-service/" + version + " (jetcd Maintenance.snapshot)");
    }
}
