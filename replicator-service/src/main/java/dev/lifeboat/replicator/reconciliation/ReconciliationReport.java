package dev.lifeboat.replicator.reconciliation;

import java.util.List;

/**
 * What one reconciliation run did.
 *
 * @param copied             snapshots copied (or repaired) into a region that lacked them
 * @param failed             copies that failed this run (the next run tries again)
 * @param prunedByTarget     snapshots a region lacks but that were not copied: its retention would prune them
 * @param unreachableRegions regions whose store could not be listed, so they were skipped
 * @param sourceReachable    false when the primary could not be listed: nothing was compared
 */
public record ReconciliationReport(int clusters, int copied, int failed, int skipped, int prunedByTarget,
                                   List<String> unreachableRegions, boolean sourceReachable) {}
