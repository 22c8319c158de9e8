package dev.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
    /** The time part of a snapshot id ({@code 20261121T044649Z}). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration GRACE = Duration.ofHours(2);

    @Test
    void isoWeeksSpanTheTurnOfTheYear() {
        // Thu 2026-12-31 and Sun 2027-01-03 are both in ISO week 2026-W53; Mon 2027-01-04 starts 2027-W1
        assertThat(Period.WEEKLY.of(Instant.parse("2026-12-31T10:00:00Z")))
                .isEqualTo(Period.WEEKLY.of(Instant.parse("2027-01-03T23:59:59Z")));
        assertThat(Period.WEEKLY.of(Instant.parse("2027-01-04T00:00:00Z")))
                .isNotEqualTo(Period.WEEKLY.of(Instant.parse("2027-01-03T23:59:59Z")));
    }

    @Test
    void weeklyKeepsTheNewestVerifiedOfEachOfTheLastWeeksWithOne() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        List<SnapshotFacts> history = List.of(
                snap("20270118T010000Z-00000001", true),   // week 3 (newest verified)
                snap("20270112T010000Z-00000002", false),  // week 2: only unverified -> no slot
                snap("20270106T010000Z-00000003", true),   // week 1, newest verified of that week
                snap("20270104T010000Z-00000004", true),   // week 1, older
                snap("20270103T010000Z-00000005", true),   // 2026-W53
                snap("20261228T010000Z-00000006", true));  // 2026-W53, older
        RetentionPlan plan = RetentionPlanner.plan(history, new RetentionPolicy(0, 0, 0, 3, 0, 0, 0), now, GRACE);

        assertThat(keptIds(plan)).containsExactly("20270118T010000Z-00000001", "20270106T010000Z-00000003",
                "20270103T010000Z-00000005");
        assertThat(rules(plan, "20270118T010000Z-00000001")).containsExactly("newest-verified", "weekly");
        assertThat(plan.pruned()).extracting(Decision::snapshotId).contains("20270112T010000Z-00000002");
        assertThat(plan.pruned().get(0).reason()).startsWith("no rule keeps it");
    }

    @Test
    void youngSnapshotsAndTheNewestVerifiedSurviveAKeepNothingPolicy() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        List<SnapshotFacts> history = List.of(
                snap("20270120T110000Z-00000001", false),  // within grace
                snap("20270119T110000Z-00000002", true),
                snap("20270118T110000Z-00000003", true));
        RetentionPlan plan = RetentionPlanner.plan(history, new RetentionPolicy(0, 0, 0, 0, 0, 0, 0), now, GRACE);

        assertThat(keptIds(plan)).containsExactly("20270120T110000Z-00000001", "20270119T110000Z-00000002");
        assertThat(rules(plan, "20270120T110000Z-00000001")).containsExactly("grace");
        assertThat(rules(plan, "20270119T110000Z-00000002")).containsExactly("newest-verified");
        assertThat(plan.wouldDeleteAll()).isFalse();
    }

    @Test
    void aClusterPolicyShrunkToNothingPrunesNothingYoungerThanTheFloor() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        List<SnapshotFacts> history = List.of(
                snap("20270120T000000Z-00000001", true),   // 12 h old, newest verified
                snap("20270115T000000Z-00000002", true),   // 5.5 days
                snap("20270113T130000Z-00000003", false),  // 6 days 23 h, unverified: the floor keeps it too
                snap("20270113T110000Z-00000004", true),   // 7 days 1 h: below the floor
                snap("20270101T000000Z-00000005", true));  // 19.5 days
        RetentionPlan plan = RetentionPlanner.plan(history, new RetentionPolicy(0, 0, 0, 0, 0, 0, 0), now, GRACE,
                Duration.ofDays(7));

        assertThat(keptIds(plan)).containsExactly("20270120T000000Z-00000001", "20270115T000000Z-00000002",
                "20270113T130000Z-00000003");
        assertThat(rules(plan, "20270115T000000Z-00000002")).containsExactly(Rules.FLOOR);
        assertThat(plan.pruned()).extracting(Decision::snapshotId)
                .containsExactly("20270113T110000Z-00000004", "20270101T000000Z-00000005");
        // without the floor, the same policy keeps only the newest verified
        assertThat(keptIds(RetentionPlanner.plan(history, new RetentionPolicy(0, 0, 0, 0, 0, 0, 0), now, GRACE)))
                .containsExactly("20270120T000000Z-00000001");
    }

    @Test
    void aPolicyThatWouldDeleteEverythingDeletesNothing() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        List<SnapshotFacts> unverified = List.of(snap("20270110T110000Z-00000001", false),
                snap("20270109T110000Z-00000002", false));
        RetentionPlan plan = RetentionPlanner.plan(unverified, new RetentionPolicy(0, 3, 3, 0, 0, 0, 0), now, GRACE);

        assertThat(plan.wouldDeleteAll()).isTrue();
        assertThat(plan.pruned()).isEmpty();
        assertThat(plan.kept()).allSatisfy(d -> assertThat(d.rules()).containsExactly("delete-all-guard"));
    }

    @Test
    void leftoversAreRemovedOnlyOnceTheirNewestObjectIsOlderThanTheGracePeriod() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        SnapshotFacts stillUploading = new SnapshotFacts("20270120T090000Z-00000001",
                Instant.parse("2027-01-20T09:00:00Z"), false, false, Instant.parse("2027-01-20T11:30:00Z"), 10);
        SnapshotFacts crashed = new SnapshotFacts("20270101T090000Z-00000002",
                Instant.parse("2027-01-01T09:00:00Z"), false, false, Instant.parse("2027-01-01T09:01:00Z"), 10);
        RetentionPlan plan = RetentionPlanner.plan(List.of(stillUploading, crashed),
                new RetentionPolicy(1, 0, 0, 0, 0, 0, 0), now, GRACE);

        assertThat(plan.kept()).extracting(Decision::snapshotId).containsExactly(stillUploading.snapshotId());
        assertThat(plan.leftovers()).extracting(Decision::snapshotId).containsExactly(crashed.snapshotId());
        assertThat(plan.wouldDeleteAll()).isFalse();
    }

    @Test
    void maxAgeKeepsEverythingYoungerThanItsDays() {
        Instant now = Instant.parse("2027-01-20T12:00:00Z");
        List<SnapshotFacts> history = List.of(
                snap("20270119T120001Z-00000001", false),
                snap("20270119T115959Z-00000002", false),
                snap("20270101T000000Z-00000003", true));
        RetentionPlan plan = RetentionPlanner.plan(history, new RetentionPolicy(0, 0, 0, 0, 0, 0, 1), now, GRACE);

        assertThat(keptIds(plan)).containsExactly("20270119T120001Z-00000001", "20270101T000000Z-00000003");
    }

    private static SnapshotFacts snap(String id, boolean verified) {
        Instant t = STAMP.parse(id.substring(0, 16), Instant::from);
        return new SnapshotFacts(id, t, true, verified, t.plusSeconds(5), 100);
    }

    private static List<String> keptIds(RetentionPlan plan) {
        return plan.kept().stream().map(Decision::snapshotId).toList();
    }

    private static List<String> rules(RetentionPlan plan, String id) {
        return plan.decisions().stream().filter(d -> d.snapshotId().equals(id)).findFirst().orElseThrow().rules();
    }
}
