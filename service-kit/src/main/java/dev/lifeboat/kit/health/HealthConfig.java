package dev.lifeboat.kit.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lifeboat.health.*}: what readiness watches. */
@ConfigMapping(prefix = "lifeboat.health")
public interface HealthConfig {
    /**
     * {@code primary}: ready while the primary region's store answers (every service needs it);
     * {@code all}: every configured region must answer. Every region's state is reported either way.
     */
    @WithDefault("primary")
    WatchedRegions regions();

    enum WatchedRegions { PRIMARY, ALL }
}
