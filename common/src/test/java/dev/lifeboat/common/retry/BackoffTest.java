package dev.lifeboat.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void doublesFromTheInitialWaitUpToTheMaximum() {
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.after(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.after(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(1_000_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void totalWaitOfTheDefaults() {
        // 10 attempts: 1+2+4+...+256 seconds between them
        assertThat(backoff.totalWait(10)).isEqualTo(Duration.ofSeconds(511));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void neverShrinksAndNeverExceedsTheMaximum(@ForAll @IntRange(min = 1, max = 10_000) int attempt,
                                               @ForAll @IntRange(min = 1, max = 100_000) int initialMillis,
                                               @ForAll @IntRange(min = 0, max = 1_000_000) int extraMillis) {
        Backoff b = new Backoff(Duration.ofMillis(initialMillis), Duration.ofMillis(initialMillis + extraMillis));
        assertThat(b.after(attempt + 1)).isGreaterThanOrEqualTo(b.after(attempt));
        assertThat(b.after(attempt)).isLessThanOrEqualTo(b.max()).isGreaterThanOrEqualTo(b.initial());
    }
}
