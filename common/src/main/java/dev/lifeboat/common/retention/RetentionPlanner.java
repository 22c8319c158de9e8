package dev.lifeboat.common.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for one cluster in one region, which snapshots a policy keeps. Pure: the same facts,
 * policy, clock and grace always give the same plan.
 *
 * <p>Whatever the policy, the plan never prunes the newest verified snapshot nor anything
 * younger than {@code grace} (nor, for a cluster's own policy, younger than its floor), a GFS slot only ever holds a verified snapshot, and a plan that
 * would prune every complete snapshot prunes none (see {@link RetentionPlan#wouldDeleteAll()}).
 */
public final class RetentionPlanner {
    /** Newest first; the id breaks ties between snapshots of the same second. */
    private static final Comparator<SnapshotFacts> NEWEST_FIRST = Comparator
            .comparing(SnapshotFacts::takenAt)
            .thenComparing(SnapshotFacts::snapshotId)
            .reversed();

    private RetentionPlanner() {}

    public static RetentionPlan plan(List<SnapshotFacts> snapshots, RetentionPolicy policy, Instant now,
                                     Duration grace) {
        return plan(snapshots, policy, now, grace, Duration.ZERO);
    }

    /**
     * As {@link #plan(List, RetentionPolicy, Instant, Duration)}, and no complete snapshot younger
     * than {@code floor} is pruned (the floor of a policy that an API call can change).
     */
    public static RetentionPlan plan(List<SnapshotFacts> snapshots, RetentionPolicy policy, Instant now,
                                     Duration grace, Duration floor) {
        List<SnapshotFacts> sorted = snapshots.stream().sorted(NEWEST_FIRST).toList();
        List<SnapshotFacts> complete = sorted.stream().filter(SnapshotFacts::complete).toList();
        Instant graceStart = now.minus(grace);

        Map<String, List<String>> keptBy = new LinkedHashMap<>();
        complete.forEach(s -> keptBy.put(s.snapshotId(), new ArrayList<>()));
        complete.stream().filter(SnapshotFacts::verified).findFirst()
                .ifPresent(s -> keptBy.get(s.snapshotId()).add(Rules.NEWEST_VERIFIED));
        complete.stream().filter(s -> s.takenAt().isAfter(graceStart))
                .forEach(s -> keptBy.get(s.snapshotId()).add(Rules.GRACE));
        if (!floor.isZero()) {
            Instant floorStart = now.minus(floor);
            complete.stream().filter(s -> s.takenAt().isAfter(floorStart))
                    .forEach(s -> keptBy.get(s.snapshotId()).add(Rules.FLOOR));
        }
        complete.stream().limit(policy.keepLast())
                .forEach(s -> keptBy.get(s.snapshotId()).add(Rules.KEEP_LAST));
        for (Period period : Period.values()) {
            keepNewestVerifiedPerPeriod(complete, period, policy.count(period), keptBy);
        }
        if (policy.maxAgeDays() > 0) {
            Instant oldestKept = now.minus(Duration.ofDays(policy.maxAgeDays()));
            complete.stream().filter(s -> s.takenAt().isAfter(oldestKept))
                    .forEach(s -> keptBy.get(s.snapshotId()).add(Rules.MAX_AGE));
        }

        boolean wouldDeleteAll = !complete.isEmpty() && keptBy.values().stream().allMatch(List::isEmpty);
        List<Decision> decisions = new ArrayList<>();
        for (SnapshotFacts s : sorted) {
            decisions.add(s.complete()
                    ? decide(s, keptBy.get(s.snapshotId()), wouldDeleteAll, policy)
                    : decideLeftover(s, graceStart));
        }
        return new RetentionPlan(List.copyOf(decisions), wouldDeleteAll);
    }

    /**
     * Walks verified snapshots newest first: the first one met in a period is that period's
     * newest, and the first {@code count} distinct periods met are the most recent ones that hold
     * a verified snapshot. Unverified snapshots take no slot and use up no count.
     */
    private static void keepNewestVerifiedPerPeriod(List<SnapshotFacts> complete, Period period, int count,
                                                    Map<String, List<String>> keptBy) {
        Set<String> periodsSeen = new HashSet<>();
        for (SnapshotFacts s : complete) {
            if (periodsSeen.size() >= count) {
                return;
            }
            if (s.verified() && periodsSeen.add(period.of(s.takenAt()))) {
                keptBy.get(s.snapshotId()).add(period.rule());
            }
        }
    }

    private static Decision decide(SnapshotFacts s, List<String> rules, boolean wouldDeleteAll,
                                   RetentionPolicy policy) {
        if (!rules.isEmpty()) {
            return decision(s, Action.KEEP, rules, "kept by " + String.join(", ", rules));
        }
        if (wouldDeleteAll) {
            return decision(s, Action.KEEP, List.of(Rules.DELETE_ALL_GUARD),
                    "kept: the policy would delete every snapshot (" + policy.describe() + ")");
        }
        return decision(s, Action.PRUNE, List.of(), "no rule keeps it (" + policy.describe()
                + (s.verified() ? "" : "; unverified, so no GFS slot") + ")");
    }

    /** A leftover may still be being written: its age counts from its newest object. */
    private static Decision decideLeftover(SnapshotFacts s, Instant graceStart) {
        Instant lastActivity = s.lastModified().isAfter(s.takenAt()) ? s.lastModified() : s.takenAt();
        if (lastActivity.isAfter(graceStart)) {
            return decision(s, Action.KEEP, List.of(Rules.GRACE),
                    "incomplete, but younger than the grace period: may still be being written");
        }
        return decision(s, Action.REMOVE_LEFTOVER, List.of(),
                "incomplete leftover (no manifest) older than the grace period");
    }

    private static Decision decision(SnapshotFacts s, Action action, List<String> rules, String reason) {
        return new Decision(s.snapshotId(), s.takenAt(), s.complete(), s.verified(), s.bytes(), action,
                List.copyOf(rules), reason);
    }
}
