package dev.lifeboat.retention.freshness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lifeboat.retention.freshness.StalenessTracker.Nothing;
import dev.lifeboat.retention.freshness.StalenessTracker.Outcome;
import dev.lifeboat.retention.freshness.StalenessTracker.Raise;
import dev.lifeboat.retention.freshness.StalenessTracker.Resolve;

class StalenessTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-19T10:00:00Z");
    private static final Duration RPO = Duration.ofHours(2);

    private final StalenessTracker tracker = new StalenessTracker(Duration.ofMinutes(15));

    @Test
    void raisesRepeatsAtABoundedRateAndResolvesOnce() {
        assertThat(read("c/r", false, 0)).isInstanceOf(Nothing.class);
        assertThat(read("c/r", true, 0)).isEqualTo(new Raise(1, T0));
        assertThat(read("c/r", true, 60)).isInstanceOf(Nothing.class);
        assertThat(read("c/r", true, 899)).isInstanceOf(Nothing.class);
        assertThat(read("c/r", true, 900)).isEqualTo(new Raise(2, T0));
        assertThat(read("c/r", false, 960)).isEqualTo(new Resolve(2, T0));
        assertThat(read("c/r", false, 1000)).isInstanceOf(Nothing.class);
    }

    @Test
    void keysAreIndependent() {
        read("a/r", true, 0);
        assertThat(read("b/r", true, 0)).isEqualTo(new Raise(1, T0));
        assertThat(read("b/r", false, 0)).isEqualTo(new Resolve(1, T0));
        assertThat(read("a/r", true, 1)).isInstanceOf(Nothing.class);
    }

    @Test
    void anUnreadableRegionKeepsItsEpisode() {
        assertThat(read("c/r", true, 0)).isEqualTo(new Raise(1, T0));
        assertThat(unreadable("c/r", 300)).isInstanceOf(Nothing.class);
        tracker.retain(Set.of("c/r"));                     // the watchdog keeps unreadable keys live
        assertThat(unreadable("c/r", 1000)).isInstanceOf(Nothing.class);
        // readable again and still stale: the same episode goes on, not a new attempt 1
        assertThat(read("c/r", true, 1200)).isEqualTo(new Raise(2, T0));
        assertThat(unreadable("c/r", 1300)).isInstanceOf(Nothing.class);
        // fresh after an unreadable interval: the resolve is not lost
        assertThat(read("c/r", false, 1400)).isEqualTo(new Resolve(2, T0));
    }

    @Test
    void anOutageLongerThanTheRpoIsStale() {
        assertThat(unreadable("c/r", 0)).isInstanceOf(Nothing.class);
        assertThat(unreadable("c/r", 7200)).isInstanceOf(Nothing.class);           // exactly the RPO
        assertThat(unreadable("c/r", 7260)).isEqualTo(new Raise(1, T0));          // stale since the outage began
        assertThat(unreadable("c/r", 7260 + 600)).isInstanceOf(Nothing.class);
        assertThat(unreadable("c/r", 7260 + 900)).isEqualTo(new Raise(2, T0));
        assertThat(read("c/r", false, 9000)).isEqualTo(new Resolve(2, T0));
        // a later short outage starts its own count
        assertThat(unreadable("c/r", 10000)).isInstanceOf(Nothing.class);
        assertThat(unreadable("c/r", 10000 + 7200)).isInstanceOf(Nothing.class);
    }

    @Test
    void anUnpublishedRaiseOrResolveIsProposedAgain() {
        Outcome first = tracker.observe("c/r", true, T0);
        assertThat(first).isEqualTo(new Raise(1, T0));                              // publish failed
        assertThat(tracker.observe("c/r", true, T0.plusSeconds(60))).isEqualTo(new Raise(1, T0.plusSeconds(60)));
        tracker.published("c/r", new Raise(1, T0.plusSeconds(60)), T0.plusSeconds(60));
        assertThat(tracker.observe("c/r", false, T0.plusSeconds(120))).isEqualTo(new Resolve(1, T0.plusSeconds(60)));
        // publish failed: still proposed
        assertThat(read("c/r", false, 180)).isEqualTo(new Resolve(1, T0.plusSeconds(60)));
        assertThat(read("c/r", false, 240)).isInstanceOf(Nothing.class);
    }

    @Test
    void aReplayedRaiseContinuesTheEpisodeAndAReplayedResolveEndsIt() {
        tracker.replayed("c/r", false, 3, T0);                                   // raised before a restart
        assertThat(read("c/r", true, 60)).isInstanceOf(Nothing.class);          // lasting: not raised as new
        assertThat(read("c/r", true, 900)).isEqualTo(new Raise(4, T0));         // repeated at the usual rate
        tracker.replayed("c/r", false, 4, T0.plusSeconds(900));                  // our own raise, read back
        tracker.replayed("c/r", false, 3, T0);                                   // an old one, read late
        assertThat(read("c/r", true, 1000)).isInstanceOf(Nothing.class);
        tracker.replayed("c/r", true, 4, T0.plusSeconds(1100));                  // resolved elsewhere
        assertThat(read("c/r", false, 1200)).isInstanceOf(Nothing.class);       // no second resolve
    }

    @Test
    void aConditionThatClearedWhileNobodyWatchedIsResolved() {
        tracker.replayed("c/r", false, 1, T0);
        assertThat(read("c/r", false, 600)).isEqualTo(new Resolve(1, T0));
    }

    @Test
    void aRaiseReadBackAfterItsEpisodeWasResolvedDoesNotReopenIt() {
        read("c/r", true, 0);
        read("c/r", true, 900);
        assertThat(read("c/r", false, 1000)).isEqualTo(new Resolve(2, T0));
        tracker.replayed("c/r", false, 1, T0);                                   // the tail lags behind
        tracker.replayed("c/r", false, 2, T0.plusSeconds(900));
        tracker.replayed("c/r", true, 2, T0.plusSeconds(1000));
        assertThat(read("c/r", false, 1100)).isInstanceOf(Nothing.class);
    }

    @Test
    void aRemovedKeyIsForgotten() {
        read("c/r", true, 0);
        tracker.retain(Set.of());
        assertThat(read("c/r", false, 60)).isInstanceOf(Nothing.class);
    }

    /** Observes a readable key and publishes what it asks for. */
    private Outcome read(String key, boolean stale, long seconds) {
        Instant at = T0.plusSeconds(seconds);
        Outcome outcome = tracker.observe(key, stale, at);
        tracker.published(key, outcome, at);
        return outcome;
    }

    private Outcome unreadable(String key, long seconds) {
        Instant at = T0.plusSeconds(seconds);
        Outcome outcome = tracker.unreadable(key, RPO, at);
        tracker.published(key, outcome, at);
        return outcome;
    }
}
