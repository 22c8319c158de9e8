package dev.lifeboat.verifier.verification;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.store.StoreException;

/**
 * The verifier's one retry layer over the object store, bounded by time: a verification that
 * meets an unreachable store waits (backoff) and tries again until it comes to a verdict or the
 * outage budget is spent. Inside each try the store adapter's own few quick retries absorb a
 * dropped connection; nothing else retries, so the longest wait is the budget plus one try.
 */
final class StoreOutageRetry {
    private static final Logger LOG = Logger.getLogger(StoreOutageRetry.class);

    interface Attempt<T> {
        T run() throws InterruptedException;
    }

    /** The budget was spent; {@code tries} were made, the last failing with {@code getCause()}. */
    static final class OutageOutlasted extends Exception {
        private static final long serialVersionUID = 1L;
        private final int tries;

        OutageOutlasted(int tries, StoreException last) {
            super(last.getMessage(), last);
            this.tries = tries;
        }

        int tries() {
            return tries;
        }
    }

    private final Duration budget;
    private final Backoff backoff;
    private final AtomicInteger waiting = new AtomicInteger();

    StoreOutageRetry(Duration budget, Backoff backoff) {
        this.budget = budget;
        this.backoff = backoff;
    }

    /** Verifications that met the store unavailable and have not come to a verdict since. */
    int waiting() {
        return waiting.get();
    }

    <T> T call(String what, Attempt<T> attempt) throws OutageOutlasted, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        boolean waitingCounted = false;
        try {
            for (int tries = 1; ; tries++) {
                try {
                    return attempt.run();
                } catch (StoreException e) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new OutageOutlasted(tries, e);
                    }
                    if (!waitingCounted) {
                        waiting.incrementAndGet();
                        waitingCounted = true;
                    }
                    Duration wait = backoff.after(tries);
                    if (wait.toNanos() > left) {
                        wait = Duration.ofNanos(left);
                    }
                    LOG.warnf("%s: object store unavailable (try %d): %s; trying again in %s, for at most %s more",
                            what, tries, e.getMessage(), wait, Duration.ofNanos(left));
                    Thread.sleep(Math.max(1, wait.toMillis()));
                }
            }
        } finally {
            if (waitingCounted) {
                waiting.decrementAndGet();
            }
        }
    }
}
