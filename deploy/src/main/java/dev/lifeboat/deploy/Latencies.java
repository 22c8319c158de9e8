package dev.lifeboat.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Percentiles of measured latencies, and the machine's load to print beside them. */
final class Latencies {
    private Latencies() {}

    /** The nearest-rank percentile of ascending values: the smallest value with at least p % at or below it. */
    static long percentile(List<Long> ascending, int p) {
        if (ascending.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        int index = (int) Math.ceil(p / 100.0 * ascending.size()) - 1;
        return ascending.get(Math.max(0, Math.min(ascending.size() - 1, index)));
    }

    /** "p50 x s, p99 y s, max z s" of ascending milliseconds. */
    static String summary(List<Long> ascendingMillis) {
        return String.format(java.util.Locale.ROOT, "p50 %.1f s, p99 %.1f s, max %.1f s", percentile(ascendingMillis, 50) / 1000.0,
                percentile(ascendingMillis, 99) / 1000.0, ascendingMillis.get(ascendingMillis.size() - 1) / 1000.0);
    }

    /** The 1, 5 and 15 minute load averages. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
