package dev.lifeboat.snapshot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.ClusterSpec.RetentionSpec;
import dev.lifeboat.events.FailureReason;

class ProtectedChangesTest {
    private static ClusterSpec spec(String schedule, RetentionSpec retention) {
        return new ClusterSpec(List.of("https://10.0.0.1:2379"), null, schedule, retention, null, null, Map.of());
    }

    private static List<FailureReason> reasons(ClusterSpec before, ClusterSpec after) {
        return ProtectedChanges.of(before, after).stream().map(ProtectedChanges.Change::reason).toList();
    }

    @Test
    void registeringGrowingAndReschedulingWeakenNothing() {
        RetentionSpec r = new RetentionSpec(24, 24, 7, 4, 12, null, null);
        assertThat(reasons(null, spec(null, new RetentionSpec(0, 0, 0, 0, 0, 0, 0)))).isEmpty();
        assertThat(reasons(spec("0 * * * *", r), spec("*/5 * * * *", new RetentionSpec(48, 24, 7, 4, 12, 1, 30))))
                .isEmpty();
        assertThat(reasons(spec(null, r), spec("0 * * * *", r))).isEmpty();
        assertThat(reasons(spec("0 * * * *", null), spec("0 3 * * *", null))).isEmpty();
    }

    @Test
    void deregisteringRemovingTheScheduleAndShrinkingAnyRuleAreWeakening() {
        RetentionSpec r = new RetentionSpec(24, 24, 7, 4, 12, null, 30);
        assertThat(reasons(spec("0 * * * *", r), null)).containsExactly(FailureReason.CLUSTER_DEREGISTERED);
        assertThat(reasons(spec("0 * * * *", r), spec(null, r))).containsExactly(FailureReason.SCHEDULE_DISABLED);
        assertThat(reasons(spec("0 * * * *", r), spec(null, new RetentionSpec(24, 24, 7, 4, 12, null, 29))))
                .containsExactly(FailureReason.SCHEDULE_DISABLED, FailureReason.RETENTION_SHRUNK);
        for (RetentionSpec smaller : List.of(new RetentionSpec(23, 24, 7, 4, 12, null, 30),
                new RetentionSpec(24, 24, 7, 4, null, null, 30), new RetentionSpec(24, 24, 7, 4, 12, null, 0))) {
            assertThat(reasons(spec("0 * * * *", r), spec("0 * * * *", smaller))).as("%s", smaller)
                    .containsExactly(FailureReason.RETENTION_SHRUNK);
        }
        // the service-wide default may keep less than the cluster's own rules, and the other way round
        assertThat(reasons(spec("0 * * * *", r), spec("0 * * * *", null))).containsExactly(FailureReason.RETENTION_SHRUNK);
        assertThat(reasons(spec("0 * * * *", null), spec("0 * * * *", r))).containsExactly(FailureReason.RETENTION_SHRUNK);
        assertThat(ProtectedChanges.of(spec("0 * * * *", r), spec("0 * * * *", new RetentionSpec(2, 24, 7, 4, 12, null, 30)))
                .get(0).description()).isEqualTo("shrinks the retention: keepLast 24 -> 2");
    }
}
