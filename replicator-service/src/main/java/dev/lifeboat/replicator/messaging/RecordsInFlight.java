package dev.lifeboat.replicator.messaging;

import java.util.concurrent.CompletableFuture;

/**
 * How many records are in progress, at most {@code max}: {@link #admit()} completes at once while
 * there is room, else when a record is {@link #done()}. The channel hands over one record at a
 * time, so at most one admission waits.
 */
final class RecordsInFlight {
    private final int max;
    private int inProgress;
    private CompletableFuture<Void> waiting;

    RecordsInFlight(int max) {
        this.max = Math.max(1, max);
    }

    synchronized CompletableFuture<Void> admit() {
        if (inProgress < max) {
            inProgress++;
            return CompletableFuture.completedFuture(null);
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    void done() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting;
            waiting = null;
            if (next == null) {
                inProgress--;
            }
        }
        if (next != null) {
            next.complete(null); // the slot passes to the waiting record
        }
    }
}
