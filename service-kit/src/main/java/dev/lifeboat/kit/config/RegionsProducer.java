package dev.lifeboat.kit.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.lifeboat.store.CallLimits;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import io.quarkus.runtime.StartupEvent;

/** The service's {@link Regions}, from {@code lifeboat.primary-region} and {@code lifeboat.regions.*}. */
@ApplicationScoped
public class RegionsProducer {

    @Produces
    @Singleton
    Regions regions(LifeboatConfig config) {
        return new Regions(config.primaryRegion(), configured(config));
    }

    /** Creates missing buckets when the service starts ({@code lifeboat.create-buckets}, default true). */
    void createBuckets(@Observes StartupEvent started, LifeboatConfig config, Regions regions) {
        if (config.createBuckets()) {
            regions.ensureBuckets();
        }
    }

    /** Every configured region; a key an {@code s3} region needs and lacks is an error naming it. */
    public static List<Region> configured(LifeboatConfig config) {
        return config.regions().entrySet().stream().map(e -> region(e.getKey(), e.getValue())).toList();
    }

    static Region region(String name, LifeboatConfig.RegionSettings r) {
        LifeboatConfig.ConnectionSettings c = r.connection();
        CallLimits limits = new CallLimits(c.idleTimeout(), c.requestTimeout(), c.minBytesPerSecond(),
                c.healthTimeout(), c.attempts());
        if (Region.MEMORY.equals(r.type())) {
            return new Region(name, Region.MEMORY, null, null, null, name, null, limits, null);
        }
        return new Region(name, r.type(), required(name, "endpoint", r.endpoint()),
                required(name, "access-key", r.accessKey()), required(name, "secret-key", r.secretKey()),
                required(name, "bucket", r.bucket()), r.signingRegion().orElse(null), limits,
                r.caFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
    }

    private static String required(String region, String key, Optional<String> value) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "lifeboat.regions." + region + "." + key + " is required for a store of type s3"));
    }
}
