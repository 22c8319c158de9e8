package dev.lifeboat.snapshot.api;

import dev.lifeboat.events.ClusterSpec;

/** A registered cluster as the API shows it; {@code nextScheduledSnapshot} is null without a schedule. */
public record ClusterView(String clusterId, ClusterSpec spec, java.time.Instant nextScheduledSnapshot,
                          String runningSnapshotId) {}
