package dev.lifeboat.retention.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns repeated freshness observations into alerts: raise when a key becomes stale, repeat at
 * most once per {@code repeatEvery} while it stays stale, resolve once when it clears.
 *
 * <p>An observation only says what to publish; the episode advances when the caller reports it
 * {@link #published}, so a raise or resolve that could not be published is proposed again on the
 * next observation (at least once). A region that cannot be read keeps its episode as it is; once
 * it has been unreadable for longer than the RPO, it counts as stale.
 *
 * <p>Episodes are also {@link #replayed} from what is on {@code lifeboat.failures} (see
 * {@link StaleBackupHistory}): after a restart, or when another replica raised or resolved, a
 * lasting condition is not raised as new and one that cleared meanwhile is resolved. A replayed
 * event older than what this tracker already knows of the key changes nothing.
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
    private final Map<String, Instant> unreadableSince = new HashMap<>();
    /** When each key's last episode was resolved, so a late replay of one of its raises cannot reopen it. */
    private final Map<String, Instant> resolvedAt = new HashMap<>();

    public StalenessTracker(Duration repeatEvery) {
        this.repeatEvery = repeatEvery;
    }

    /** The key could be read and is {@code stale} or not. */
    public synchronized Outcome observe(String key, boolean stale, Instant now) {
        unreadableSince.remove(key);
        return decide(key, stale, now, now);
    }

    /**
     * The key could not be read: the episode stays as it is, unless the key has been unreadable
     * for longer than {@code rpo}, which is stale (staleness can no longer be ruled out).
     */
    public synchronized Outcome unreadable(String key, Duration rpo, Instant now) {
        Instant since = unreadableSince.computeIfAbsent(key, k -> now);
        if (Duration.between(since, now).compareTo(rpo) > 0) {
            return decide(key, true, since, now);
        }
        return new Nothing();
    }

    /** Since when the key has been unreadable, if it is. */
    public synchronized Optional<Instant> unreadableSince(String key) {
        return Optional.ofNullable(unreadableSince.get(key));
    }

    /** The outcome of an observation at {@code now} has been published: the episode advances. */
    public synchronized void published(String key, Outcome outcome, Instant now) {
        if (outcome instanceof Raise raise) {
            episodes.put(key, new Episode(raise.staleSince(), now, raise.attempt()));
        } else if (outcome instanceof Resolve) {
            episodes.remove(key);
            resolvedAt.put(key, now);
        }
    }

    /**
     * A raise ({@code resolved} false, its {@code attempt}) or resolve published at {@code at}, by this
     * process or another, read back from the failure topic. Applied only if it is newer than what
     * the tracker knows of the key.
     */
    public synchronized void replayed(String key, boolean resolved, int attempt, Instant at) {
        Episode episode = episodes.get(key);
        Instant lastResolved = resolvedAt.get(key);
        if (episode != null && !at.isAfter(episode.lastRaised())
                || episode == null && lastResolved != null && !at.isAfter(lastResolved)) {
            return; // already known, or older than what is known
        }
        if (resolved) {
            episodes.remove(key);
            resolvedAt.put(key, at);
        } else {
            Instant since = episode != null && attempt > 1 ? episode.since() : at;
            episodes.put(key, new Episode(since, at, Math.max(attempt, 1)));
        }
    }

    private Outcome decide(String key, boolean stale, Instant staleSince, Instant now) {
        Episode episode = episodes.get(key);
        if (!stale) {
            return episode == null ? new Nothing() : new Resolve(episode.attempts(), episode.since());
        }
        if (episode == null) {
            return new Raise(1, staleSince);
        }
        if (!now.isBefore(episode.lastRaised().plus(repeatEvery))) {
            return new Raise(episode.attempts() + 1, episode.since());
        }
        return new Nothing();
    }

    /** Forgets every key not in {@code live} (clusters removed from the registry, regions no longer used). */
    public synchronized void retain(Set<String> live) {
        retain(live::contains);
    }

    /** Forgets every key {@code live} does not keep. */
    public synchronized void retain(Predicate<String> live) {
        episodes.keySet().removeIf(live.negate());
        unreadableSince.keySet().removeIf(live.negate());
        resolvedAt.keySet().removeIf(live.negate());
    }
}
