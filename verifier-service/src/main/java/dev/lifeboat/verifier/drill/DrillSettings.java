package dev.lifeboat.verifier.drill;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How restore drills run.
 *
 * @param etcdBinary     the {@code etcd} executable (a name found on PATH, or a path)
 * @param etcdctlBinary  the {@code etcdctl} executable that runs {@code snapshot restore}
 * @param workDir        where each drill makes its own fresh directory
 * @param timeout        the longest a drill may take, from restore to the last read
 * @param maxConcurrent  how many drills may run at the same time
 */
public record DrillSettings(String etcdBinary, String etcdctlBinary, Path workDir, Duration timeout, int maxConcurrent) {
    public DrillSettings {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("at least one concurrent drill is needed, got " + maxConcurrent);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("drill timeout must be positive, got " + timeout);
        }
    }
}
