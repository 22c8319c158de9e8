package dev.lifeboat.retention.api;

import java.time.Instant;
import java.util.List;

import dev.lifeboat.common.retention.Decision;
import dev.lifeboat.common.retention.RetentionPolicy;
import dev.lifeboat.retention.pruning.RegionPlan;

/**
 * The retention plan as the REST API shows it: every snapshot in the region, newest first, kept
 * or pruned and by which rule.
 *
 * @param policySource where the policy comes from: {@code cluster}, {@code region:<name>} or {@code default}
 * @param grace        ISO-8601 duration, e.g. {@code PT2H}
 * @param dryRun       true when runs only report (nothing would actually be deleted)
 */
public record RetentionReport(String clusterId, String region, String policySource, RetentionPolicy policy,
                              Instant evaluatedAt, String grace, boolean dryRun, boolean wouldDeleteAll,
                              int kept, int pruned, int leftovers, List<Decision> snapshots) {

    public static RetentionReport of(RegionPlan p, boolean dryRun) {
        return new RetentionReport(p.clusterId(), p.region(), p.policy().source(), p.policy().policy(),
                p.evaluatedAt(), p.grace().toString(), dryRun, p.plan().wouldDeleteAll(), p.plan().kept().size(),
                p.plan().pruned().size(), p.plan().leftovers().size(), p.plan().decisions());
    }
}
