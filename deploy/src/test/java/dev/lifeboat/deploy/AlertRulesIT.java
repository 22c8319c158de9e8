package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code alerts/} checked and unit-tested by Prometheus' own promtool: {@code
 * promtool check rules} on every rule file, {@code promtool test rules} on every test file in
 * {@code alerts/tests/} (expected alerts written out by hand there). Fails when promtool does.
 */
class AlertRulesIT {
    private static final Path ALERTS = Path.of("alerts");

    @Test
    void rulesAreValid() throws Exception {
        List<Path> rules = files(ALERTS, ".rules.yml");
        assertThat(rules).isNotEmpty();
        promtool("check", "rules", rules);
    }

    @Test
    void rulesRaiseExactlyTheExpectedAlerts() throws Exception {
        List<Path> tests = files(ALERTS.resolve("tests"), ".test.yml");
        assertThat(tests).hasSizeGreaterThanOrEqualTo(2);
        promtool("test", "rules", tests);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void promtool(String verb, String noun, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", verb, noun));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s %s:%n%s", verb, noun, output).isZero();
    }
}
