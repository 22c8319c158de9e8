package dev.lifeboat.store;

import java.time.Duration;

/**
 * How long a store call may take and how often it is tried.
 *
 * @param idleTimeout       pooled connections idle longer than this are closed before reuse; keep
 *                          it below the shortest idle timeout of the servers and middleboxes on the
 *                          way (S3Proxy/Jetty: 30 s)
 * @param requestTimeout    deadline of a call that carries no payload (HEAD, list page, DELETE,
 *                          small PUT), and the fixed part of every payload deadline
 * @param minBytesPerSecond the slowest transfer still considered alive: a payload of n bytes gets
 *                          {@code requestTimeout + n / minBytesPerSecond}
 * @param healthTimeout     deadline of a readiness probe
 * @param attempts          tries of an idempotent call (GET, HEAD, list, whole PUT, DELETE), 1 = no retry
 */
public record CallLimits(Duration idleTimeout, Duration requestTimeout, long minBytesPerSecond,
                         Duration healthTimeout, int attempts) {
    public static final CallLimits DEFAULT = new CallLimits(Duration.ofSeconds(20), Duration.ofSeconds(30),
            1024 * 1024, Duration.ofSeconds(3), 3);

    public CallLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()
                || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("store timeouts must be positive");
        }
        if (minBytesPerSecond <= 0 || attempts < 1) {
            throw new IllegalArgumentException("min-bytes-per-second must be positive and attempts at least 1");
        }
    }

    /** The deadline of a call that moves {@code bytes} of payload. */
    public Duration deadlineFor(long bytes) {
        return requestTimeout.plusMillis(Math.max(0, bytes) * 1000 / minBytesPerSecond);
    }
}
