package dev.lifeboat.snapshot.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.ClusterSpec.RetentionSpec;
import dev.lifeboat.events.FailureReason;

/**
 * The changes of a registration that weaken a cluster's backups, and so need the admin role,
 * are audited and raise a WARNING: deregistering it, disabling its schedule, shrinking its
 * retention. Every retention rule keeps more the larger it is (0 or unset switches it off), so a
 * rule that gets smaller shrinks the retention. A cluster that switches between its own retention
 * and the service-wide default is counted as shrinking too: the default may keep less.
 */
public final class ProtectedChanges {
    /** One weakening change: its reason code on {@code lifeboat.failures} and what it does. */
    public record Change(FailureReason reason, String description) {}

    private ProtectedChanges() {}

    /** The weakening changes from {@code before} (null: not registered yet) to {@code after}. */
    public static List<Change> of(ClusterSpec before, ClusterSpec after) {
        List<Change> changes = new ArrayList<>();
        if (before == null) {
            return changes;
        }
        if (after == null) {
            changes.add(new Change(FailureReason.CLUSTER_DEREGISTERED, "deregisters the cluster"));
            return changes;
        }
        if (before.schedule() != null && after.schedule() == null) {
            changes.add(new Change(FailureReason.SCHEDULE_DISABLED,
                    "disables the schedule '" + before.schedule() + "' (on-demand only)"));
        }
        String shrunk = shrunkRetention(before.retention(), after.retention());
        if (shrunk != null) {
            changes.add(new Change(FailureReason.RETENTION_SHRUNK, "shrinks the retention: " + shrunk));
        }
        return changes;
    }

    private static String shrunkRetention(RetentionSpec before, RetentionSpec after) {
        if (before == null && after == null) {
            return null;
        }
        if (before == null) {
            return "replaces the service-wide default with the cluster's own rules";
        }
        if (after == null) {
            return "replaces the cluster's own rules with the service-wide default";
        }
        List<String> smaller = new ArrayList<>();
        rule(smaller, "keepLast", RetentionSpec::keepLast, before, after);
        rule(smaller, "hourly", RetentionSpec::hourly, before, after);
        rule(smaller, "daily", RetentionSpec::daily, before, after);
        rule(smaller, "weekly", RetentionSpec::weekly, before, after);
        rule(smaller, "monthly", RetentionSpec::monthly, before, after);
        rule(smaller, "yearly", RetentionSpec::yearly, before, after);
        rule(smaller, "maxAgeDays", RetentionSpec::maxAgeDays, before, after);
        return smaller.isEmpty() ? null : String.join(", ", smaller);
    }

    private static void rule(List<String> smaller, String name, Function<RetentionSpec, Integer> field,
                             RetentionSpec before, RetentionSpec after) {
        int was = Objects.requireNonNullElse(field.apply(before), 0);
        int is = Objects.requireNonNullElse(field.apply(after), 0);
        if (is < was) {
            smaller.add(name + " " + was + " -> " + is);
        }
    }
}
