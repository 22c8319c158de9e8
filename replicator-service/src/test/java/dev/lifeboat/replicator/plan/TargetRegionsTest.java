package dev.lifeboat.replicator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TargetRegionsTest {
    static final Set<String> CONFIGURED = Set.of("primary", "eu", "us");
    static final List<String> SECONDARIES = List.of("eu", "us");

    @Test
    void unknownClusterOrNoListGoesToEverySecondary() {
        TargetRegions t = TargetRegions.resolve(null, "primary", SECONDARIES, CONFIGURED);
        assertThat(t.regions()).containsExactly("eu", "us");
        assertThat(t.unknown()).isEmpty();
    }

    @Test
    void namedRegionsAreFollowedWithoutTheSourceOrDuplicates() {
        TargetRegions t = TargetRegions.resolve(List.of("us", "primary", "us"), "primary", SECONDARIES, CONFIGURED);
        assertThat(t.regions()).containsExactly("us");
    }

    @Test
    void unconfiguredNamesAreKeptApart() {
        TargetRegions t = TargetRegions.resolve(Arrays.asList("mars", "eu", null), "primary", SECONDARIES, CONFIGURED);
        assertThat(t.regions()).containsExactly("eu");
        assertThat(t.unknown()).containsExactly("mars");
    }

    @Test
    void anEmptyListMeansNowhere() {
        assertThat(TargetRegions.resolve(List.of(), "primary", SECONDARIES, CONFIGURED).regions()).isEmpty();
    }
}
