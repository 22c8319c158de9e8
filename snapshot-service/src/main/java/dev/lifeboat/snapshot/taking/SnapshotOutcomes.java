package dev.lifeboat.snapshot.taking;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.FailureReason;

/** How the most recent snapshot attempt of each cluster ended, for readiness. */
@ApplicationScoped
public class SnapshotOutcomes {
    /** One attempt's end; {@code reason} null = success. */
    public record Outcome(String snapshotId, Instant at, FailureReason reason) {}

    private final Map<String, Outcome> last = new ConcurrentHashMap<>();

    public void succeeded(String clusterId, String snapshotId) {
        last.put(clusterId, new Outcome(snapshotId, Instant.now(), null));
    }

    public void failed(String clusterId, String snapshotId, FailureReason reason) {
        last.put(clusterId, new Outcome(snapshotId, Instant.now(), reason));
    }

    public Optional<Outcome> last(String clusterId) {
        return Optional.ofNullable(last.get(clusterId));
    }
}
