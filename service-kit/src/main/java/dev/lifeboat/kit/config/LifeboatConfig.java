package dev.lifeboat.kit.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The keys every Lifeboat service reads: {@code lifeboat.primary-region},
 * {@code lifeboat.regions.<name>.type|endpoint|access-key|secret-key|bucket|signing-region|ca-file|connection.*}, {@code lifeboat.create-buckets},
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
        /** {@code s3} (any S3-compatible store) or {@code memory} (one JVM's memory, for tests). */
        @WithDefault("s3")
        String type();

        /** Required for {@code s3}. */
        Optional<String> endpoint();

        Optional<String> accessKey();

        Optional<String> secretKey();

        Optional<String> bucket();

        /** The S3 region requests are signed for; absent: asked from the store once. */
        @WithName("signing-region")
        Optional<String> signingRegion();

        /**
         * PEM bundle of the CA certificates the region's {@code https} endpoint is trusted by (a
         * private CA); absent: the JVM's default trust. Unreadable: the service does not start.
         */
        @WithName("ca-file")
        Optional<String> caFile();

        /** Connection and deadline limits of every call to this region. */
        ConnectionSettings connection();
    }

    /** See {@link dev.lifeboat.store.CallLimits}. */
    interface ConnectionSettings {
        /** Pooled connections idle longer than this are closed; below the servers' idle timeouts (S3Proxy: 30 s). */
        @WithName("idle-timeout")
        @WithDefault("PT20S")
        Duration idleTimeout();

        /** Deadline of a call without payload, and the fixed part of every payload deadline. */
        @WithName("request-timeout")
        @WithDefault("PT30S")
        Duration requestTimeout();

        /** The slowest transfer still alive: n bytes get request-timeout + n / this. */
        @WithName("min-bytes-per-second")
        @WithDefault("1048576")
        long minBytesPerSecond();

        /** Deadline of a readiness probe. */
        @WithName("health-timeout")
        @WithDefault("PT3S")
        Duration healthTimeout();

        /** Tries of an idempotent call (GET, HEAD, list, whole PUT, DELETE). */
        @WithDefault("3")
        int attempts();
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
