package dev.lifeboat.common.retention;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately naive second reading of the retention rules, used as the oracle of the planner:
 * for each snapshot, for each rule, scan all snapshots. Periods are compared by their start
 * instant (ISO weeks start on Monday), not by labels as the planner does.
 */
public final class RetentionModel {
    /** The expected action and keeping rules of one snapshot. */
    public record Verdict(Action action, Set<String> rules) {}

    private RetentionModel() {}

    public static Map<String, Verdict> decide(List<SnapshotFacts> all, RetentionPolicy policy, Instant now,
                                              Duration grace) {
        Map<String, Set<String>> rulesOf = new HashMap<>();
        for (SnapshotFacts s : all) {
            if (!s.complete()) {
                continue;
            }
            Set<String> rules = new HashSet<>();
            if (s.verified() && all.stream().noneMatch(t -> t.complete() && t.verified() && newer(t, s))) {
                rules.add("newest-verified");
            }
            if (Duration.between(s.takenAt(), now).compareTo(grace) < 0) {
                rules.add("grace");
            }
            long newerComplete = all.stream().filter(t -> t.complete() && newer(t, s)).count();
            if (newerComplete < policy.keepLast()) {
                rules.add("keep-last");
            }
            gfs(all, s, "hourly", policy.hourly(), rules);
            gfs(all, s, "daily", policy.daily(), rules);
            gfs(all, s, "weekly", policy.weekly(), rules);
            gfs(all, s, "monthly", policy.monthly(), rules);
            gfs(all, s, "yearly", policy.yearly(), rules);
            if (policy.maxAgeDays() > 0
                    && Duration.between(s.takenAt(), now).compareTo(Duration.ofDays(policy.maxAgeDays())) < 0) {
                rules.add("max-age");
            }
            rulesOf.put(s.snapshotId(), rules);
        }
        boolean nothingKept = !rulesOf.isEmpty() && rulesOf.values().stream().allMatch(Set::isEmpty);
        Map<String, Verdict> out = new HashMap<>();
        for (SnapshotFacts s : all) {
            if (!s.complete()) {
                Instant activity = s.lastModified().isAfter(s.takenAt()) ? s.lastModified() : s.takenAt();
                boolean young = Duration.between(activity, now).compareTo(grace) < 0;
                out.put(s.snapshotId(), young ? new Verdict(Action.KEEP, Set.of("grace"))
                        : new Verdict(Action.REMOVE_LEFTOVER, Set.of()));
            } else if (nothingKept) {
                out.put(s.snapshotId(), new Verdict(Action.KEEP, Set.of("delete-all-guard")));
            } else {
                Set<String> rules = rulesOf.get(s.snapshotId());
                out.put(s.snapshotId(), new Verdict(rules.isEmpty() ? Action.PRUNE : Action.KEEP, rules));
            }
        }
        return out;
    }

    /**
     * s holds a slot when it is verified, no verified snapshot of its period is newer, and fewer
     * than {@code count} later periods hold a verified snapshot.
     */
    private static void gfs(List<SnapshotFacts> all, SnapshotFacts s, String period, int count, Set<String> rules) {
        if (count == 0 || !s.verified()) {
            return;
        }
        Instant start = periodStart(s.takenAt(), period);
        for (SnapshotFacts t : all) {
            if (t.complete() && t.verified() && newer(t, s) && periodStart(t.takenAt(), period).equals(start)) {
                return;
            }
        }
        Set<Instant> laterPeriods = new HashSet<>();
        for (SnapshotFacts t : all) {
            Instant tStart = periodStart(t.takenAt(), period);
            if (t.complete() && t.verified() && tStart.isAfter(start)) {
                laterPeriods.add(tStart);
            }
        }
        if (laterPeriods.size() < count) {
            rules.add(period);
        }
    }

    static Instant periodStart(Instant time, String period) {
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        ZonedDateTime day = t.truncatedTo(ChronoUnit.DAYS);
        ZonedDateTime start = switch (period) {
            case "hourly" -> t.truncatedTo(ChronoUnit.HOURS);
            case "daily" -> day;
            case "weekly" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "monthly" -> day.withDayOfMonth(1);
            case "yearly" -> day.withDayOfYear(1);
            default -> throw new IllegalArgumentException(period);
        };
        return start.toInstant();
    }

    private static boolean newer(SnapshotFacts t, SnapshotFacts s) {
        int byTime = t.takenAt().compareTo(s.takenAt());
        return byTime > 0 || (byTime == 0 && t.snapshotId().compareTo(s.snapshotId()) > 0);
    }
}
