package dev.lifeboat.snapshot.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeboat.snapshot.requests.SnapshotAnswer.Outcome;

/** How an on-demand request for a cluster another replica owns is answered from what the owner says. */
class OwnerAskingTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1_000);

    private static SnapshotAnswer answer(Outcome outcome) {
        return new SnapshotAnswer("r", "c1", outcome, outcome == Outcome.ACCEPTED ? "s1" : null, null);
    }

    @Test
    void anOwnerThatNeverAnswersIsOneThatDidNotAnswer() throws Exception {
        SnapshotAnswer a = OnDemandSnapshots.askOwner("c1", TIMEOUT, (id, left) -> Optional.empty(), () -> true);
        assertThat(a.outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(a.detail()).contains("c1", "did not answer within 1000 ms", "try again");
    }

    @Test
    void anOwnerThatAnsweredNotRegisteredAndThenMissesTheLastShortAskHasNotReadTheRegistration() throws Exception {
        // the owner answers at once, until what is left of the timeout is too short for its round trip
        List<Duration> asked = new ArrayList<>();
        SnapshotAnswer a = OnDemandSnapshots.askOwner("c1", TIMEOUT, (id, left) -> {
            asked.add(left);
            return left.compareTo(Duration.ofMillis(500)) < 0 ? Optional.empty() : Optional.of(answer(Outcome.NOT_REGISTERED));
        }, () -> true);
        assertThat(asked).hasSizeGreaterThan(1);
        assertThat(a.outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(a.detail()).contains("c1", "is registered", "has not read", "try again")
                .doesNotContain("did not answer");
    }

    @Test
    void anOwnerThatReadsTheRegistrationLateDecides() throws Exception {
        int[] asks = {0};
        SnapshotAnswer a = OnDemandSnapshots.askOwner("c1", TIMEOUT,
                (id, left) -> Optional.of(answer(++asks[0] < 3 ? Outcome.NOT_REGISTERED : Outcome.ACCEPTED)), () -> true);
        assertThat(a.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(asks[0]).isEqualTo(3);
    }

    @Test
    void notRegisteredAnywhereIsNotRegistered() throws Exception {
        int[] asks = {0};
        SnapshotAnswer a = OnDemandSnapshots.askOwner("c1", TIMEOUT,
                (id, left) -> { asks[0]++; return Optional.of(answer(Outcome.NOT_REGISTERED)); }, () -> false);
        assertThat(a.outcome()).isEqualTo(Outcome.NOT_REGISTERED);
        assertThat(asks[0]).isEqualTo(1);
    }
}
