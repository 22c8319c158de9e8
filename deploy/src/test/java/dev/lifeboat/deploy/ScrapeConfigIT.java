package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prometheus/scrape.yml} checked by Prometheus' own {@code promtool check config}: the
 * bearer-token authorization, the relabelling and the job as a whole. The promtool of the Debian
 * package is built without Kubernetes service discovery, so the check swaps the job's
 * {@code kubernetes_sd_configs} block for file discovery and its token path for a file that exists;
 * everything else is checked as written.
 */
class ScrapeConfigIT {
    private static final Path SCRAPE = Path.of("prometheus", "scrape.yml");
    private static final String TOKEN_FILE = "/etc/prometheus/secrets/lifeboat-scrape-token/token";

    @TempDir
    Path dir;

    @Test
    void theScrapeJobIsAValidPrometheusConfiguration() throws Exception {
        String written = Files.readString(SCRAPE);
        assertThat(written).contains("type: Bearer").contains(TOKEN_FILE).contains("kubernetes_sd_configs:");
        Path token = Files.writeString(dir.resolve("token"), "a-token\n");
        Path targets = Files.writeString(dir.resolve("targets.json"), "[]\n");
        Path checked = Files.writeString(dir.resolve("scrape.yml"), withFileDiscovery(written, targets)
                .replace(TOKEN_FILE, token.toString()));

        Process promtool = new ProcessBuilder(List.of("promtool", "check", "config", checked.toString()))
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        assertThat(promtool.exitValue()).as("promtool check config:%n%s", output).isZero();
    }

    /** Replaces the {@code kubernetes_sd_configs:} block (it and its deeper-indented lines). */
    static String withFileDiscovery(String config, Path targets) {
        StringBuilder out = new StringBuilder();
        int blockIndent = -1;
        for (String line : config.split("\n", -1)) {
            int indent = line.length() - line.stripLeading().length();
            if (blockIndent >= 0 && (line.isBlank() || indent > blockIndent)) {
                continue;
            }
            blockIndent = -1;
            if (line.stripLeading().startsWith("kubernetes_sd_configs:")) {
                blockIndent = indent;
                String pad = " ".repeat(indent);
                out.append(pad).append("file_sd_configs:\n")
                        .append(pad).append("  - files: [").append(targets).append("]\n");
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
