package dev.lifeboat.common.regions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReplicationTargetsTest {
    static final Set<String> CONFIGURED = Set.of("primary", "eu", "us");
    static final List<String> SECONDARIES = List.of("eu", "us");

    @Test
    void aRegisteredClusterWithoutAListGoesToEverySecondary() {
        ReplicationTargets.Known t = ReplicationTargets.of(null, "primary", SECONDARIES, CONFIGURED);
        assertThat(t.regions()).containsExactly("eu", "us");
        assertThat(t.unconfigured()).isEmpty();
        assertThat(t.withSource()).containsExactly("primary", "eu", "us");
    }

    @Test
    void namedRegionsAreFollowedWithoutTheSourceOrDuplicates() {
        ReplicationTargets.Known t = ReplicationTargets.of(List.of("us", "primary", "us"), "primary", SECONDARIES,
                CONFIGURED);
        assertThat(t.regions()).containsExactly("us");
        assertThat(t.withSource()).containsExactly("primary", "us");
    }

    @Test
    void fromASecondarySourceThePrimaryIsNotATarget() {
        assertThat(ReplicationTargets.of(null, "eu", SECONDARIES, CONFIGURED).regions()).containsExactly("us");
    }

    @Test
    void unconfiguredNamesAreKeptApart() {
        ReplicationTargets.Known t = ReplicationTargets.of(Arrays.asList("mars", "eu", null), "primary", SECONDARIES,
                CONFIGURED);
        assertThat(t.regions()).containsExactly("eu");
        assertThat(t.unconfigured()).containsExactly("mars");
    }

    @Test
    void anEmptyListMeansNowhere() {
        ReplicationTargets.Known t = ReplicationTargets.of(List.of(), "primary", SECONDARIES, CONFIGURED);
        assertThat(t.regions()).isEmpty();
        assertThat(t.withSource()).containsExactly("primary");
    }

    @Test
    void anUnknownClusterHasNoRegionsToCopyTo() {
        ReplicationTargets t = ReplicationTargets.unknown("the cluster registry is not loaded yet");
        // the type has no region list at all: "every secondary" cannot come out of it by accident
        assertThat(t).isInstanceOf(ReplicationTargets.Unknown.class);
        assertThat(((ReplicationTargets.Unknown) t).why()).contains("not loaded");
    }
}
