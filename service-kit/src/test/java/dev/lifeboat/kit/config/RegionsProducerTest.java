package dev.lifeboat.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeboat.store.CallLimits;
import dev.lifeboat.store.Region;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The keys {@code lifeboat.regions.*} as operators write them, read into store's {@link Region}s. */
class RegionsProducerTest {

    private static LifeboatConfig config(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.putIfAbsent("lifeboat.primary-region", "primary");
        return new SmallRyeConfigBuilder().withMapping(LifeboatConfig.class).withDefaultValues(all).build()
                .getConfigMapping(LifeboatConfig.class);
    }

    @Test
    void anS3RegionTakesEveryKeyAndTheDefaultLimits() {
        LifeboatConfig config = config(Map.of(
                "lifeboat.regions.primary.endpoint", "https://s3.example:9000",
                "lifeboat.regions.primary.access-key", "reader",
                "lifeboat.regions.primary.secret-key", "s3cret",
                "lifeboat.regions.primary.bucket", "backups",
                "lifeboat.regions.primary.signing-region", "eu-west-1",
                "lifeboat.regions.primary.ca-file", "/etc/lifeboat/ca.pem"));

        assertThat(RegionsProducer.configured(config)).containsExactly(new Region("primary", Region.S3,
                "https://s3.example:9000", "reader", "s3cret", "backups", "eu-west-1", CallLimits.DEFAULT,
                Path.of("/etc/lifeboat/ca.pem")));
        assertThat(config.createBuckets()).isTrue();
    }

    @Test
    void connectionLimitsAndTheMemoryTypeAreReadFromTheirKeys() {
        LifeboatConfig config = config(Map.of(
                "lifeboat.regions.primary.type", "memory",
                "lifeboat.regions.primary.connection.idle-timeout", "PT5S",
                "lifeboat.regions.primary.connection.request-timeout", "PT7S",
                "lifeboat.regions.primary.connection.min-bytes-per-second", "1000",
                "lifeboat.regions.primary.connection.health-timeout", "PT1S",
                "lifeboat.regions.primary.connection.attempts", "5",
                "lifeboat.create-buckets", "false"));

        Region region = RegionsProducer.configured(config).get(0);
        assertThat(region.type()).isEqualTo(Region.MEMORY);
        assertThat(region.limits()).isEqualTo(new CallLimits(Duration.ofSeconds(5), Duration.ofSeconds(7), 1000,
                Duration.ofSeconds(1), 5));
        assertThat(config.createBuckets()).isFalse();
    }

    @Test
    void anS3RegionWithoutABucketIsAnErrorNamingTheKey() {
        LifeboatConfig config = config(Map.of(
                "lifeboat.regions.primary.endpoint", "http://127.0.0.1:9000",
                "lifeboat.regions.primary.access-key", "reader",
                "lifeboat.regions.primary.secret-key", "s3cret"));

        assertThatThrownBy(() -> RegionsProducer.configured(config))
                .hasMessage("lifeboat.regions.primary.bucket is required for a store of type s3");
    }
}
