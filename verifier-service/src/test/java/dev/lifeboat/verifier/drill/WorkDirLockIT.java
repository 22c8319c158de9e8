package dev.lifeboat.verifier.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two verifiers on one work directory: the second does not get it while another process holds it
 * (a child JVM, as a second replica on the same host is), gets it once that process is killed
 * (the OS drops the lock of a crashed process), and a second hold within one process is refused too.
 */
class WorkDirLockIT {
    @TempDir
    Path dir;

    @Test
    void aWorkDirectoryHeldByAnotherProcessIsRefusedUntilThatProcessDies() throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");

            assertThatThrownBy(() -> WorkDirLock.acquire(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the verifier work directory " + dir + " is in use by another process;"
                            + " give every verifier its own lifeboat.verifier.work-dir");
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (WorkDirLock mine = WorkDirLock.acquire(dir)) {
            assertThatThrownBy(() -> WorkDirLock.acquire(dir)).hasMessageContaining("another verifier in this process");
        }
        WorkDirLock.acquire(dir).close(); // released by close
    }

    /** Holds the lock of the directory given as its argument until it is killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            WorkDirLock lock = WorkDirLock.acquire(Path.of(args[0]));
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
        }
    }
}
