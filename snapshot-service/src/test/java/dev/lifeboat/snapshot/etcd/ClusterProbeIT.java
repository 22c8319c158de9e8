package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.StallingProxy;

/**
 * A member that misses one answer is not an unreachable cluster: a real etcd behind a proxy whose
 * first connection forwards nothing (what a starved CPU or a stalled handshake looks like to the
 * prober) is still found as the snapshot source; one that never answers is still reported.
 */
class ClusterProbeIT {
    private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(1);

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

    @Test
    void aMemberThatMissesOneAnswerIsStillTheSource() {
        try (StallingProxy proxy = proxyToEtcd(); ClusterProbe probe = new ClusterProbe(2, 2)) {
            proxy.stallNextConnections(1);

            ClusterProbe.Result result = probe.probe(spec(proxy), MEMBER_TIMEOUT);

            assertThat(result.reachable()).extracting(MemberStatus::endpoint).containsExactly(proxy.url());
            assertThat(result.chooseSource().endpoint()).isEqualTo(proxy.url());
        }
    }

    @Test
    void aMemberThatNeverAnswersIsReportedWithItsReason() {
        try (StallingProxy proxy = proxyToEtcd(); ClusterProbe probe = new ClusterProbe(2, 2)) {
            proxy.stallNextConnections(Integer.MAX_VALUE);

            ClusterProbe.Result result = probe.probe(spec(proxy), MEMBER_TIMEOUT);

            assertThat(result.reachable()).isEmpty();
            assertThat(result.errors()).containsOnlyKeys(proxy.url());
            assertThat(result.errors().get(proxy.url())).contains("no answer within 1000 ms");
        }
    }

    private static StallingProxy proxyToEtcd() {
        URI client = URI.create(etcd.clientUrl());
        return StallingProxy.to(client.getHost(), client.getPort());
    }

    private static ClusterSpec spec(StallingProxy proxy) {
        return new ClusterSpec(List.of(proxy.url()), null, null, null, List.of(), null, Map.of());
    }
}
