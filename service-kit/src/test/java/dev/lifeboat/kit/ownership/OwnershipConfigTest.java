package dev.lifeboat.kit.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

class OwnershipConfigTest {
    private static OwnershipConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(OwnershipConfig.class)
                .withSources(new MapBackedConfigSource("test", values) {}).build();
        return config.getConfigMapping(OwnershipConfig.class);
    }

    @Test
    void aReplicaNameIsPartOfTheMappingSoAServiceGivenOneStarts() {
        // the local stack names each replica; a name the mapping did not know failed start-up validation
        assertThat(config(Map.of("lifeboat.ownership.replica", "snapshot-service-2")).replica())
                .contains("snapshot-service-2");
    }

    @Test
    void withoutANameTheReplicaIsNamedByItsHost() {
        assertThat(config(Map.of()).replica()).isEmpty();
    }
}
