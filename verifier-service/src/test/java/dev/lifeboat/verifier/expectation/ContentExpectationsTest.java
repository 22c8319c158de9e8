package dev.lifeboat.verifier.expectation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ContentExpectationsTest {
    private static final ContentExpectations STRICT = new ContentExpectations(OptionalLong.of(100),
            List.of("/registry/namespaces/kube-system"), OptionalDouble.of(10));

    @Test
    void noExpectationsAreNeverBroken() {
        assertThat(ContentExpectations.NONE.violations(0, OptionalLong.of(1_000_000), List.of())).isEmpty();
    }

    @Test
    void aSnapshotMeetingEveryExpectationHasNoViolations() {
        assertThat(STRICT.violations(100, OptionalLong.of(111), List.of())).isEmpty();
    }

    @Test
    void tooFewKeysIsAViolation() {
        assertThat(STRICT.violations(99, OptionalLong.empty(), List.of()))
                .containsExactly("99 live keys, expected at least 100");
    }

    @Test
    void anAbsentRequiredKeyIsAViolation() {
        assertThat(STRICT.violations(500, OptionalLong.empty(), List.of("/registry/namespaces/kube-system")))
                .containsExactly("required key /registry/namespaces/kube-system is absent");
    }

    @Test
    void losingMoreThanTheAllowedShareIsAViolationAndExactlyTheShareIsNot() {
        assertThat(STRICT.violations(900, OptionalLong.of(1000), List.of())).isEmpty();
        assertThat(STRICT.violations(899, OptionalLong.of(1000), List.of())).singleElement().asString()
                .startsWith("10.1% of live keys lost since the previous verified snapshot (1000 -> 899)");
    }

    @Test
    void growthAndAFirstSnapshotAreNeverLosses() {
        assertThat(STRICT.violations(5000, OptionalLong.of(1000), List.of())).isEmpty();
        assertThat(STRICT.violations(100, OptionalLong.empty(), List.of())).isEmpty();
        assertThat(STRICT.violations(100, OptionalLong.of(0), List.of())).isEmpty();
    }

    @Test
    void aClustersOwnSettingsReplaceTheGlobalOnesAndTheRestIsKept() {
        ContentExpectations own = STRICT.overriddenBy(OptionalLong.of(5), null, OptionalDouble.empty());
        assertThat(own).isEqualTo(new ContentExpectations(OptionalLong.of(5),
                List.of("/registry/namespaces/kube-system"), OptionalDouble.of(10)));
        assertThat(STRICT.overriddenBy(OptionalLong.empty(), List.of(), OptionalDouble.empty()).requiredKeys()).isEmpty();
    }

    @Test
    void everyBrokenExpectationIsReported() {
        assertThat(STRICT.violations(1, OptionalLong.of(1000), List.of("/registry/namespaces/kube-system"))).hasSize(3);
    }
}
