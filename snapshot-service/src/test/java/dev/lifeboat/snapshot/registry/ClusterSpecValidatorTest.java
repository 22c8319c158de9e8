package dev.lifeboat.snapshot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lifeboat.events.ClusterSpec;

class ClusterSpecValidatorTest {
    private final ClusterSpecValidator validator = new ClusterSpecValidator(Set.of("secondary"));

    private static ClusterSpec spec(List<String> endpoints, String schedule) {
        return new ClusterSpec(endpoints, null, schedule, null, null, null, Map.of());
    }

    private List<String> fields(String id, ClusterSpec spec) {
        return validator.validate(id, spec).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsAKubeadmLikeCluster() {
        assertThat(validator.validate("prod-eu-1", spec(List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"),
                "0 * * * *"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a b", "Prod", "-a", "a-", "", "a/b", "a.b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void rejectsClusterIdsThatAreNotDnsLabels(String id) {
        assertThat(fields(id, spec(List.of("http://127.0.0.1:2379"), null))).containsExactly("clusterId");
    }

    @Test
    void rejectsEmptyAndMalformedEndpoints() {
        assertThat(fields("c1", spec(List.of(), null))).containsExactly("endpoints");
        assertThat(fields("c1", spec(null, null))).containsExactly("endpoints");
        assertThat(fields("c1", spec(List.of("http://127.0.0.1:2379", "10.0.0.1:2379", "ftp://h:1", "http://h",
                "http://h:2379/path", "http://127.0.0.1:2379"), null)))
                .containsExactly("endpoints[1]", "endpoints[2]", "endpoints[3]", "endpoints[4]", "endpoints[5]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * *", "61 * * * *", "0 0 * * * *", "@hourly", "every hour", "0 25 * * *"})
    void rejectsInvalidCron(String cron) {
        assertThat(fields("c1", spec(List.of("http://127.0.0.1:2379"), cron))).containsExactly("schedule");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 31 2 *", "0 0 1 * *", "0 0 29 2 *", "0 0 * 1 *"})
    void rejectsSchedulesThatLeaveMoreThanAWeekBetweenSnapshots(String cron) {
        List<FieldError> errors = validator.validate("c1", spec(List.of("http://127.0.0.1:2379"), cron));
        assertThat(errors).extracting(FieldError::field).containsExactly("schedule");
        assertThat(errors.get(0).message()).startsWith("'" + cron + "' ");
    }

    @Test
    void theLongestScheduleIntervalIsConfigurable() {
        ClusterSpecValidator monthly = new ClusterSpecValidator(Set.of("secondary"), Duration.ofDays(31),
                Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC));
        assertThat(monthly.validate("c1", spec(List.of("http://127.0.0.1:2379"), "0 0 1 * *"))).isEmpty();
        assertThat(monthly.validate("c1", spec(List.of("http://127.0.0.1:2379"), "0 0 1 */2 *")))
                .extracting(FieldError::field).containsExactly("schedule");
    }

    @Test
    void rejectsUnknownReplicationTargetsNegativeRetentionAndMissingTlsFiles() {
        ClusterSpec s = new ClusterSpec(List.of("https://127.0.0.1:2379"),
                new ClusterSpec.TlsFiles("/nonexistent/ca.crt", "/nonexistent/c.crt", null),
                null, new ClusterSpec.RetentionSpec(-1, null, null, null, null, null, null),
                List.of("secondary", "mars"), 0, null);
        assertThat(fields("c1", s)).containsExactlyInAnyOrder("tls.keyFile", "tls.caFile", "tls.certFile",
                "retention.keepLast", "replicateTo[1]", "rpoMinutes");
    }
}
