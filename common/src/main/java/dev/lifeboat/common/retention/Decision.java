package dev.lifeboat.common.retention;

import java.time.Instant;
import java.util.List;

/**
 * The plan's verdict on one snapshot.
 *
 * @param rules  the rules that keep it (empty unless {@link Action#KEEP})
 * @param reason one line an operator reads: the keeping rules, or why nothing keeps it
 */
public record Decision(String snapshotId, Instant takenAt, boolean complete, boolean verified, long bytes,
                       Action action, List<String> rules, String reason) {}
