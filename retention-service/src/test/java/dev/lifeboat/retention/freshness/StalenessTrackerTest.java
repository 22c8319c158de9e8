package dev.lifeboat.retention.freshness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StalenessTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-19T10:00:00Z");

    @Test
    void raisesRepeatsAtABoundedRateAndResolvesOnce() {
        StalenessTracker tracker = new StalenessTracker(Duration.ofMinutes(15));

        assertThat(tracker.observe("c/r", false, T0)).isInstanceOf(StalenessTracker.Nothing.class);
        assertThat(tracker.observe("c/r", true, T0)).isEqualTo(new StalenessTracker.Raise(1, T0));
        assertThat(tracker.observe("c/r", true, T0.plusSeconds(60))).isInstanceOf(StalenessTracker.Nothing.class);
        assertThat(tracker.observe("c/r", true, T0.plusSeconds(899))).isInstanceOf(StalenessTracker.Nothing.class);
        assertThat(tracker.observe("c/r", true, T0.plusSeconds(900))).isEqualTo(new StalenessTracker.Raise(2, T0));
        assertThat(tracker.observe("c/r", false, T0.plusSeconds(960))).isEqualTo(new StalenessTracker.Resolve(2, T0));
        assertThat(tracker.observe("c/r", false, T0.plusSeconds(1000))).isInstanceOf(StalenessTracker.Nothing.class);
    }

    @Test
    void keysAreIndependent() {
        StalenessTracker tracker = new StalenessTracker(Duration.ofMinutes(15));
        tracker.observe("a/r", true, T0);
        assertThat(tracker.observe("b/r", true, T0)).isEqualTo(new StalenessTracker.Raise(1, T0));
        assertThat(tracker.observe("b/r", false, T0)).isEqualTo(new StalenessTracker.Resolve(1, T0));
        assertThat(tracker.observe("a/r", true, T0.plusSeconds(1))).isInstanceOf(StalenessTracker.Nothing.class);
    }
}
