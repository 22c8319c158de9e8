package dev.lifeboat.common.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * A bounded, blocking retry: at most {@code attempts} tries, waiting {@link Backoff#after} between
 * them, retrying only failures of {@code retryOn}. Anything else, and the last failure, reaches
 * the caller unchanged. For the few places that wait in the calling thread (announcing a durable
 * snapshot while Kafka blinks, reading a store that is back in seconds).
 */
public final class Retry<E extends Exception> {
    /** One try; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T run(int attempt) throws E, InterruptedException;
    }

    /** Told before each wait, e.g. to log it. */
    @FunctionalInterface
    public interface Listener<E extends Exception> {
        void retrying(int failedAttempt, E failure, Duration wait);
    }

    /** How the wait happens; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;

        Sleeper THREAD = wait -> Thread.sleep(wait.toMillis());
    }

    private final int attempts;
    private final Backoff backoff;
    private final Class<E> retryOn;
    private final Sleeper sleeper;

    private Retry(int attempts, Backoff backoff, Class<E> retryOn, Sleeper sleeper) {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, got " + attempts);
        }
        this.attempts = attempts;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public static <E extends Exception> Retry<E> of(int attempts, Backoff backoff, Class<E> retryOn) {
        return new Retry<>(attempts, backoff, retryOn, Sleeper.THREAD);
    }

    public Retry<E> withSleeper(Sleeper other) {
        return new Retry<>(attempts, backoff, retryOn, other);
    }

    public int attempts() {
        return attempts;
    }

    /**
     * Runs {@code attempt} until it returns, throws something that is not an {@code E}, or failed
     * {@link #attempts()} times (the last {@code E} is thrown).
     */
    public <T> T call(Attempt<T, ? extends E> attempt, Listener<? super E> listener) throws E, InterruptedException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run(n);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!retryOn.isInstance(e) || n >= attempts) {
                    throw rethrow(e);
                }
                E failure = retryOn.cast(e);
                Duration wait = backoff.after(n);
                listener.retrying(n, failure, wait);
                sleeper.sleep(wait);
            }
        }
    }

    /** Rethrows {@code e}, which is an {@code E} or unchecked: nothing else can leave an {@link Attempt}. */
    @SuppressWarnings("unchecked")
    private E rethrow(Exception e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return (E) e;
    }
}
