package dev.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random histories (times, verification outcomes, incomplete leftovers), random policies and
 * random clocks: the planner keeps its invariants and agrees with {@link RetentionModel}.
 */
class RetentionPlannerPropertiesTest {
    /** The time part of a snapshot id, as the store names it ({@code 20261121T044649Z}). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> GFS_RULES = Set.of("hourly", "daily", "weekly", "monthly", "yearly");

    /** One generated case. */
    record Scenario(List<SnapshotFacts> snapshots, RetentionPolicy policy, Instant now, Duration grace) {}

    @Property(tries = 1500)
    void planEqualsTheBruteForceModel(@ForAll("scenarios") Scenario c) {
        RetentionPlan plan = RetentionPlanner.plan(c.snapshots(), c.policy(), c.now(), c.grace());
        Map<String, RetentionModel.Verdict> expected = RetentionModel.decide(c.snapshots(), c.policy(), c.now(),
                c.grace());
        Map<String, RetentionModel.Verdict> actual = new HashMap<>();
        plan.decisions().forEach(d -> actual.put(d.snapshotId(), new RetentionModel.Verdict(d.action(),
                Set.copyOf(d.rules()))));
        assertThat(plan.decisions()).hasSize(c.snapshots().size());
        assertThat(actual).isEqualTo(expected);

        // the generator must reach the interesting cases, or agreeing would prove little
        boolean gfsKept = plan.kept().stream().anyMatch(d -> d.rules().stream().anyMatch(GFS_RULES::contains));
        Statistics.label("prunes").collect(!plan.pruned().isEmpty());
        Statistics.label("gfs").collect(gfsKept);
        Statistics.label("leftovers").collect(!plan.leftovers().isEmpty());
        Statistics.label("delete-all").collect(plan.wouldDeleteAll());
        Statistics.label("prunes").coverage(k -> k.check(true).percentage(p -> p > 30));
        Statistics.label("gfs").coverage(k -> k.check(true).percentage(p -> p > 20));
        Statistics.label("leftovers").coverage(k -> k.check(true).percentage(p -> p > 10));
        Statistics.label("delete-all").coverage(k -> k.check(true).count(n -> n > 0));
    }

    @Property(tries = 1500)
    void invariantsHoldForEveryHistoryAndClock(@ForAll("scenarios") Scenario c) {
        RetentionPlan plan = RetentionPlanner.plan(c.snapshots(), c.policy(), c.now(), c.grace());
        Map<String, Decision> byId = new HashMap<>();
        plan.decisions().forEach(d -> byId.put(d.snapshotId(), d));

        Optional<SnapshotFacts> newestVerified = c.snapshots().stream()
                .filter(s -> s.complete() && s.verified())
                .max(Comparator.comparing(SnapshotFacts::takenAt).thenComparing(SnapshotFacts::snapshotId));
        newestVerified.ifPresent(s -> assertThat(byId.get(s.snapshotId()).action()).isEqualTo(Action.KEEP));

        for (SnapshotFacts s : c.snapshots()) {
            Decision d = byId.get(s.snapshotId());
            Instant graceStart = c.now().minus(c.grace());
            boolean young = s.takenAt().isAfter(graceStart) || !s.complete() && s.lastModified().isAfter(graceStart);
            if (young) {
                assertThat(d.action()).as("snapshot younger than the grace period: %s", s).isEqualTo(Action.KEEP);
            }
            if (!s.verified()) {
                assertThat(d.rules()).as("unverified %s holds no GFS slot", s).doesNotContainAnyElementsOf(GFS_RULES);
            }
            if (s.complete()) {
                assertThat(d.action()).isNotEqualTo(Action.REMOVE_LEFTOVER);
            } else {
                assertThat(d.action()).isNotEqualTo(Action.PRUNE);
            }
            assertThat(d.action() == Action.KEEP).isEqualTo(!d.rules().isEmpty());
        }

        long complete = c.snapshots().stream().filter(SnapshotFacts::complete).count();
        if (complete > 0) {
            assertThat(plan.kept().stream().filter(Decision::complete)).as("something is always kept").isNotEmpty();
        }
        if (plan.wouldDeleteAll()) {
            assertThat(plan.pruned()).isEmpty();
        }
    }

    @Property(tries = 500)
    void everyGfsSlotHoldsTheNewestVerifiedSnapshotOfItsPeriod(@ForAll("scenarios") Scenario c) {
        RetentionPlan plan = RetentionPlanner.plan(c.snapshots(), c.policy(), c.now(), c.grace());
        for (Decision d : plan.kept()) {
            for (Period period : Period.values()) {
                if (d.rules().contains(period.rule())) {
                    boolean newerVerifiedInPeriod = c.snapshots().stream()
                            .anyMatch(s -> s.complete() && s.verified() && s.takenAt().isAfter(d.takenAt())
                                    && period.of(s.takenAt()).equals(period.of(d.takenAt())));
                    assertThat(newerVerifiedInPeriod).isFalse();
                }
            }
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Instant> now = Arbitraries.longs()
                .between(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("2030-12-31T23:59:59Z").getEpochSecond())
                .map(Instant::ofEpochSecond);
        // ages cluster near "now" (hours) as well as spread over years, so periods collide
        Arbitrary<Long> ageSeconds = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(-7200, 3 * 86_400)),
                Tuple.of(3, Arbitraries.longs().between(0, 60 * 86_400)),
                Tuple.of(2, Arbitraries.longs().between(0, 3 * 366 * 86_400L)));
        Arbitrary<SnapshotShape> shape = Combinators.combine(ageSeconds,
                        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9),
                        Arbitraries.longs().between(-86_400, 86_400))
                .as(SnapshotShape::new);
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 4)),
                Tuple.of(1, Arbitraries.integers().between(5, 40)));
        Arbitrary<RetentionPolicy> policy = Combinators.combine(count, count, count, count, count, count,
                        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)),
                                Tuple.of(1, Arbitraries.integers().between(1, 400))))
                .as(RetentionPolicy::new);
        Arbitrary<Duration> grace = Arbitraries.longs().between(0, 3 * 86_400).map(Duration::ofSeconds);
        return Combinators.combine(shape.list().ofMaxSize(60), policy, now, grace)
                .as((shapes, p, n, g) -> new Scenario(history(shapes, n), p, n, g));
    }

    /**
     * verifiedDie/completeDie 0..9: 70% verified among complete, 85% complete; lastModifiedShift
     * moves the newest object's time relative to the id's time.
     */
    record SnapshotShape(long ageSeconds, int verifiedDie, int completeDie, long lastModifiedShift) {}

    private static List<SnapshotFacts> history(List<SnapshotShape> shapes, Instant now) {
        List<SnapshotFacts> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            SnapshotShape s = shapes.get(i);
            Instant takenAt = now.minusSeconds(s.ageSeconds()).truncatedTo(ChronoUnit.SECONDS);
            String id = STAMP.format(takenAt) + "-" + String.format("%08x", i);
            boolean complete = s.completeDie() < 8 || s.completeDie() == 9 && i % 2 == 0;
            boolean verified = complete && s.verifiedDie() < 7;
            Instant lastModified = takenAt.plusSeconds(Math.abs(s.lastModifiedShift()) % 7200);
            if (!complete && s.lastModifiedShift() > 43_200) {
                lastModified = takenAt.plusSeconds(s.lastModifiedShift()); // a leftover touched much later
            }
            out.add(new SnapshotFacts(id, takenAt, complete, verified, lastModified, 1000L + i));
        }
        return out;
    }
}
