package dev.lifeboat.store;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The keys every Lifeboat service reads: {@code lifeboat.primary-region},
 * {@code lifeboat.regions.<name>.endpoint|access-key|secret-key|bucket}, {@code lifeboat.create-buckets},
 * {@code lifeboat.topics.*} and {@code lifeboat.events.*}. Each service maps its own keys under
 * {@code lifeboat.<service>}; a key under {@code lifeboat} that no mapping knows is a typo and
 * stops the service at start with a message naming it.
 */
@ConfigMapping(prefix = "lifeboat")
public interface LifeboatConfig {
    @WithName("primary-region")
    String primaryRegion();

    Map<String, RegionSettings> regions();

    /** Create missing buckets when a service starts. */
    @WithName("create-buckets")
    @WithDefault("true")
    boolean createBuckets();

    TopicSettings topics();

    EventSettings events();

    interface RegionSettings {
        String endpoint();

        String accessKey();

        String secretKey();

        String bucket();
    }

    /** For the topics a service creates when they are missing. */
    interface TopicSettings {
        @WithDefault("3")
        int partitions();

        @WithName("replication-factor")
        @WithDefault("1")
        short replicationFactor();
    }

    interface EventSettings {
        /** How long a publish may wait for Kafka's acknowledgement. */
        @WithName("publish-timeout")
        @WithDefault("PT30S")
        Duration publishTimeout();
    }
}
