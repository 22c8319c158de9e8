package dev.lifeboat.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryTest {
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final Retry<IOException> retry = Retry.of(4, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(3)),
            IOException.class).withSleeper(waits::add);

    @Test
    void aFirstSuccessDoesNotWait() throws Exception {
        String result = retry.call(n -> "done " + n, this::tell);
        assertThat(result).isEqualTo("done 1");
        assertThat(waits).isEmpty();
    }

    @Test
    void retriesWithBackoffUntilItWorks() throws Exception {
        String result = retry.call(n -> {
            if (n < 3) {
                throw new IOException("blink " + n);
            }
            return "done " + n;
        }, this::tell);
        assertThat(result).isEqualTo("done 3");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(told).containsExactly("1: blink 1 (PT1S)", "2: blink 2 (PT2S)");
    }

    @Test
    void isBoundedAndThrowsTheLastFailure() {
        assertThatThrownBy(() -> retry.call(n -> {
            throw new IOException("down " + n);
        }, this::tell)).isInstanceOf(IOException.class).hasMessage("down 4");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void otherFailuresAreNotRetried() {
        assertThatThrownBy(() -> retry.call(n -> {
            throw new UncheckedIOException(new IOException("bug " + n));
        }, this::tell)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("bug 1");
        assertThat(waits).isEmpty();
    }

    @Test
    void anUncheckedFailureTypeCanBeRetried() {
        Retry<IllegalStateException> onState = Retry.of(2, new Backoff(Duration.ofMillis(5), Duration.ofMillis(5)),
                IllegalStateException.class).withSleeper(waits::add);
        assertThatThrownBy(() -> onState.call(n -> {
            throw new IllegalStateException("still " + n);
        }, (n, e, w) -> { })).hasMessage("still 2");
        assertThat(waits).containsExactly(Duration.ofMillis(5));
    }

    @Test
    void anInterruptedWaitStops() {
        Retry<IOException> interrupted = retry.withSleeper(w -> {
            throw new InterruptedException("stopping");
        });
        assertThatThrownBy(() -> interrupted.call(n -> {
            throw new IOException("down");
        }, this::tell)).isInstanceOf(InterruptedException.class);
        assertThat(told).hasSize(1);
    }

    @Test
    void atLeastOneAttempt() {
        assertThatThrownBy(() -> Retry.of(0, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), IOException.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void tell(int n, IOException e, Duration wait) {
        told.add(n + ": " + e.getMessage() + " (" + wait + ")");
    }
}
