package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.RefusedPorts;

/**
 * Probing runs on a fixed thread budget whatever the number of endpoints: a registration with the
 * maximum endpoint count (16) and a spec far beyond it (200, what the validator refuses but a
 * bad registry record could hold) peak at the same bound. One real etcd, the rest ports held dead
 * ({@link RefusedPorts}).
 */
class ClusterProbeThreadsIT {
    private static final Logger LOG = Logger.getLogger(ClusterProbeThreadsIT.class);
    /**
     * 8 probers + 2 callback threads + per open client a Vert.x event loop, its blocked-thread
     * checker and a closing thread, + gRPC's and Netty's process-wide threads. Measured: +34 for 16
     * and +36 for 200 endpoints; the probe before, one Vert.x per endpoint held open, +32 and +376.
     */
    static final int BUDGET = 8 + 2 + 8 * 3 + 14;

    @TempDir
    static Path dir;
    static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(dir.resolve("etcd"));
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 200})
    void probingStaysWithinAFixedThreadBudget(int endpointCount) throws Exception {
        List<String> endpoints = new ArrayList<>();
        endpoints.add(etcd.clientUrl());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // the dead endpoints stay dead: held by this JVM, no other test's server can take one meanwhile
        try (RefusedPorts dead = RefusedPorts.hold(endpointCount - 1); ClusterProbe probe = new ClusterProbe(8, 8)) {
            endpoints.addAll(dead.urls());
            ClusterSpec spec = new ClusterSpec(endpoints, null, null, null, List.of(), null, Map.of());
            // warm: class loading and gRPC's process-wide threads are not the probe's budget
            probe.probe(new ClusterSpec(List.of(etcd.clientUrl()), null, null, null, List.of(), null, Map.of()),
                    Duration.ofSeconds(10));
            int before = threads.getThreadCount();
            long rssBefore = rssKib();
            threads.resetPeakThreadCount();
            ClusterProbe.Result result = probe.probe(spec, Duration.ofSeconds(2));
            int peak = threads.getPeakThreadCount();
            LOG.infof("%d endpoints: threads %d before, peak %d (+%d); RSS %d KiB before, %d KiB after",
                    endpointCount, before, peak, peak - before, rssBefore, rssKib());
            assertThat(result.reachable()).extracting(MemberStatus::endpoint).containsExactly(etcd.clientUrl());
            assertThat(result.errors()).hasSize(endpointCount - 1);
            assertThat(result.chooseSource().endpoint()).isEqualTo(etcd.clientUrl());
            assertThat(peak - before).as("threads added by probing %d endpoints", endpointCount)
                    .isLessThanOrEqualTo(BUDGET);
        }
    }

    private static long rssKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1L);
    }
}
