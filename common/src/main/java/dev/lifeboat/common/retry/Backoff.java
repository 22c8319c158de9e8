package dev.lifeboat.common.retry;

import java.time.Duration;

/**
 * Exponential backoff between attempts: {@code initial}, then doubling, never more
 * than {@code max}.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration after(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40)); // 2^40 × anything exceeds any sane max
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Total time spent waiting when every one of {@code attempts} attempts fails. */
    public Duration totalWait(int attempts) {
        Duration total = Duration.ZERO;
        for (int a = 1; a < attempts; a++) {
            total = total.plus(after(a));
        }
        return total;
    }
}
