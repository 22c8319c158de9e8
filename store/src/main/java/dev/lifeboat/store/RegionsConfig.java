package dev.lifeboat.store;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * {@code lifeboat.primary-region} and {@code lifeboat.regions.<name>.endpoint|access-key|secret-key|bucket}:
 * the object stores of every region, the same keys in every service.
 */
@ConfigMapping(prefix = "lifeboat")
public interface RegionsConfig {
    @WithName("primary-region")
    String primaryRegion();

    Map<String, RegionSettings> regions();

    interface RegionSettings {
        String endpoint();

        String accessKey();

        String secretKey();

        String bucket();
    }
}
