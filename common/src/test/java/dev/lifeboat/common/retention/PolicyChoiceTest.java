package dev.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.ClusterSpec.RetentionSpec;

class PolicyChoiceTest {
    private static final RetentionPolicy DEFAULT = new RetentionPolicy(24, 24, 7, 4, 12, 0, 0);
    private static final RetentionPolicy LONG = new RetentionPolicy(48, 0, 30, 0, 36, 0, 0);
    private static final RetentionSpec CLUSTER = new RetentionSpec(5, null, 3, null, null, null, null);

    @Test
    void aSecondaryRegionOverrideWinsOverTheClusterPolicy() {
        PolicyChoice c = PolicyChoice.choose(Optional.of(CLUSTER), "secondary", false, Map.of("secondary", LONG), DEFAULT);
        assertThat(c).isEqualTo(new PolicyChoice(LONG, "region:secondary"));
    }

    @Test
    void theClusterPolicyWinsInThePrimaryAndWhereNoOverrideExists() {
        Map<String, RetentionPolicy> overrides = Map.of("primary", LONG);
        RetentionPolicy own = new RetentionPolicy(5, 0, 3, 0, 0, 0, 0);
        assertThat(PolicyChoice.choose(Optional.of(CLUSTER), "primary", true, overrides, DEFAULT))
                .isEqualTo(new PolicyChoice(own, "cluster"));
        assertThat(PolicyChoice.choose(Optional.of(CLUSTER), "other", false, overrides, DEFAULT))
                .isEqualTo(new PolicyChoice(own, "cluster"));
    }

    @Test
    void withoutAClusterPolicyTheRegionOverrideThenTheDefaultApply() {
        assertThat(PolicyChoice.choose(Optional.empty(), "primary", true, Map.of("primary", LONG), DEFAULT))
                .isEqualTo(new PolicyChoice(LONG, "region:primary"));
        assertThat(PolicyChoice.choose(Optional.empty(), "secondary", false, Map.of(), DEFAULT))
                .isEqualTo(new PolicyChoice(DEFAULT, "default"));
    }
}
