package dev.lifeboat.retention.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns repeated freshness observations into alerts: raise when a key becomes stale, repeat at
 * most once per {@code repeatEvery} while it stays stale, resolve once when it clears.
 * In memory: after a restart a lasting condition is raised again.
 */
public final class StalenessTracker {
    /** What to publish for one observation. */
    public sealed interface Outcome permits Nothing, Raise, Resolve {}

    public record Nothing() implements Outcome {}

    /** Publish a failure; {@code attempt} counts the alerts of this episode, from 1. */
    public record Raise(int attempt, Instant staleSince) implements Outcome {}

    public record Resolve(int attempts, Instant staleSince) implements Outcome {}

    private record Episode(Instant since, Instant lastRaised, int attempts) {}

    private final Duration repeatEvery;
    private final Map<String, Episode> episodes = new HashMap<>();

    public StalenessTracker(Duration repeatEvery) {
        this.repeatEvery = repeatEvery;
    }

    public synchronized Outcome observe(String key, boolean stale, Instant now) {
        Episode episode = episodes.get(key);
        if (!stale) {
            if (episode == null) {
                return new Nothing();
            }
            episodes.remove(key);
            return new Resolve(episode.attempts(), episode.since());
        }
        if (episode == null) {
            episodes.put(key, new Episode(now, now, 1));
            return new Raise(1, now);
        }
        if (!now.isBefore(episode.lastRaised().plus(repeatEvery))) {
            Episode next = new Episode(episode.since(), now, episode.attempts() + 1);
            episodes.put(key, next);
            return new Raise(next.attempts(), next.since());
        }
        return new Nothing();
    }

    /** Forgets every key not in {@code live} (clusters removed from the registry). */
    public synchronized void retain(Set<String> live) {
        episodes.keySet().retainAll(live);
    }
}
