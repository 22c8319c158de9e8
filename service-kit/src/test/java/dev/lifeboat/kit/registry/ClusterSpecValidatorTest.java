package dev.lifeboat.kit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.api.FieldError;

class ClusterSpecValidatorTest {
    @TempDir
    static Path credentials;

    private static final ClusterSpecValidator.Policy OPEN = new ClusterSpecValidator.Policy(
            Path.of("/nonexistent-credentials"), EndpointPolicy.anyHost(), true, 16);
    private final ClusterSpecValidator validator = new ClusterSpecValidator(Set.of("secondary"), OPEN);

    private static ClusterSpecValidator strict(Path credentialsDir, List<String> allowedHosts) {
        return new ClusterSpecValidator(Set.of("secondary"),
                new ClusterSpecValidator.Policy(credentialsDir, new EndpointPolicy(allowedHosts), false, 16));
    }

    private static ClusterSpec tls(String ca, String cert, String key) {
        return new ClusterSpec(List.of("https://10.0.0.1:2379"), new ClusterSpec.TlsFiles(ca, cert, key), null, null,
                null, null, Map.of());
    }

    @Test
    void tlsFilesAreNamesInTheClustersOwnCredentialsAndNothingElse() throws Exception {
        Path own = Files.createDirectories(credentials.resolve("c1"));
        Files.writeString(own.resolve("ca.crt"), "pem");
        Files.writeString(own.resolve("tls.crt"), "pem");
        Files.writeString(own.resolve("tls.key"), "pem");
        Path other = Files.createDirectories(credentials.resolve("c2"));
        Files.writeString(other.resolve("tls.key"), "pem");
        ClusterSpecValidator v = strict(credentials, null);

        assertThat(v.validate("c1", tls("ca.crt", "tls.crt", "tls.key"))).isEmpty();
        assertThat(v.validate("c1", tls(own.resolve("ca.crt").toString(), null, null))).isEmpty();
        assertThat(v.resolved("c1", tls("ca.crt", null, null)).tls())
                .isEqualTo(new ClusterSpec.TlsFiles(own.resolve("ca.crt").toString(), null, null));
        assertThat(v.resolved("c1", tls("ca.crt", "tls.crt", "tls.key")).tls())
                .isEqualTo(new ClusterSpec.TlsFiles(own.resolve("ca.crt").toString(), own.resolve("tls.crt").toString(),
                        own.resolve("tls.key").toString()));

        // the host's files, traversal, another cluster's key: one message that says nothing about the file system
        for (String path : List.of("/etc/shadow", "/etc/hostname", "../c2/tls.key", "..", own + "/../c2/tls.key",
                other.resolve("tls.key").toString(), "/nonexistent/ca.crt", ".hidden", "a/b")) {
            List<FieldError> errors = v.validate("c1", tls(path, null, null));
            assertThat(errors).as(path).extracting(FieldError::field).containsExactly("tls.caFile");
            assertThat(errors.get(0).message()).as(path).doesNotContain(path).doesNotContain(credentials.toString())
                    .startsWith("must name a file of this cluster's credentials");
        }
        assertThat(v.validate("c1", tls("missing.crt", null, null)).get(0).message())
                .isEqualTo("this cluster's credentials hold no readable file missing.crt");
    }

    @Test
    void aStoredRecordPassesTheSameRulesButTheFilesNeedNotBeMountedHere() throws Exception {
        ClusterSpecValidator v = strict(credentials, List.of("10.0.0.0/8"));
        Path own = credentials.resolve("c9");
        // what the writer stored: absolute paths inside the cluster's own directory, not mounted in this service
        ClusterSpec stored = new ClusterSpec(List.of("https://10.0.0.1:2379"), new ClusterSpec.TlsFiles(
                own.resolve("ca.crt").toString(), own.resolve("tls.crt").toString(), own.resolve("tls.key").toString()),
                "0 * * * *", null, null, null, Map.of());
        assertThat(v.validateStored("c9", stored)).isEmpty();
        assertThat(v.validate("c9", stored)).extracting(FieldError::field)
                .containsExactly("tls.caFile", "tls.certFile", "tls.keyFile");

        for (String path : List.of("/etc/shadow", credentials.resolve("c2").resolve("tls.key").toString(), "../c2/tls.key")) {
            assertThat(v.validateStored("c9", tls(path, null, null))).as(path).extracting(FieldError::field)
                    .containsExactly("tls.caFile");
        }
        assertThat(v.validateStored("c9", spec(List.of("http://10.0.0.1:2379"), null))).extracting(FieldError::field)
                .containsExactly("endpoints[0]");
        assertThat(v.validateStored("c9", spec(List.of("https://169.254.169.254:2379"), null)))
                .extracting(FieldError::field).containsExactly("endpoints[0]");
        assertThat(v.validateStored("c9", new ClusterSpec(List.of("https://10.0.0.1:2379"), null, "0 0 31 2 *", null,
                null, null, Map.of()))).extracting(FieldError::field).containsExactly("schedule");
    }

    @Test
    void plaintextNeedsAnOptInAndHostsMustBeAllowed() {
        ClusterSpecValidator v = strict(credentials, List.of("10.0.0.0/8", "etcd.internal", "*.etcd.example.com",
                "fd00::/8"));
        assertThat(fields(v, "c1", spec(List.of("https://10.1.2.3:2379", "https://etcd.internal:2379",
                "https://a.etcd.example.com:2379", "https://[fd00::1]:2379"), null))).isEmpty();
        assertThat(fields(v, "c1", spec(List.of("http://10.0.0.1:2379"), null))).containsExactly("endpoints[0]");
        assertThat(v.validate("c1", spec(List.of("http://10.0.0.1:2379"), null)).get(0).message())
                .contains("plaintext");
        assertThat(fields(v, "c1", spec(List.of("https://169.254.169.254:2379", "https://11.0.0.1:2379",
                "https://evil.internal:2379", "https://etcd.example.com.evil:2379", "https://[fe80::1]:2379"), null)))
                .containsExactly("endpoints[0]", "endpoints[1]", "endpoints[2]", "endpoints[3]", "endpoints[4]");
    }

    @Test
    void boundsEndpointsAndLabels() {
        List<String> many = java.util.stream.IntStream.range(0, 17).mapToObj(i -> "https://10.0.0." + i + ":2379")
                .toList();
        assertThat(fields("c1", spec(many, null))).containsExactly("endpoints");
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i <= ClusterSpecValidator.MAX_LABELS; i++) {
            labels.put("k" + i, "v");
        }
        assertThat(fields("c1", new ClusterSpec(List.of("https://10.0.0.1:2379"), null, null, null, null, null,
                labels))).containsExactly("labels");
    }

    private static List<String> fields(ClusterSpecValidator v, String id, ClusterSpec spec) {
        return v.validate(id, spec).stream().map(FieldError::field).toList();
    }

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
        ClusterSpecValidator monthly = new ClusterSpecValidator(Set.of("secondary"), OPEN, Duration.ofDays(31),
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
