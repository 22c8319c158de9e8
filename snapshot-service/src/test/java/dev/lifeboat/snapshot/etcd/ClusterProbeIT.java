package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.testing.EtcdCluster;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.StallingProxy;

/**
 * A member that misses one answer is not an unreachable cluster: a real etcd behind a proxy whose
 * first connection forwards nothing (what a starved CPU or a stalled handshake looks like to the
 * prober) is still found as the snapshot source; one that never answers is still reported. In a
 * three-member cluster, a leader that misses its answer while its followers name it is asked
 * again and chosen; a cluster that lost its quorum is NO_LEADER, saying what each member said.
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

    @Test
    void aLeaderThatMissesItsAnswerWhileItsFollowersNameItIsAskedAgainAndChosen() {
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve("three-stalled-leader"))) {
            EtcdCluster.MemberStatus leader = cluster.awaitLeader(Duration.ofSeconds(30));
            try (StallingProxy proxy = StallingProxy.to("127.0.0.1", leader.member().clientPort());
                 ClusterProbe probe = new ClusterProbe(4, 4)) {
                proxy.stallNextConnections(1);
                List<String> endpoints = new ArrayList<>(cluster.clientUrls());
                endpoints.set(cluster.members().indexOf(leader.member()), proxy.url());

                MemberStatus source = probe.probe(spec(endpoints), MEMBER_TIMEOUT).chooseSource();

                assertThat(source.endpoint()).isEqualTo(proxy.url());
                assertThat(source.memberIdHex()).isEqualTo(leader.memberIdHex());
                assertThat(source.isLeader()).isTrue();
            }
        }
    }

    @Test
    void aClusterThatLostTwoOfThreeMembersIsNoLeaderSayingWhatWasSeen() {
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve("three-no-quorum"));
             ClusterProbe probe = new ClusterProbe(4, 4)) {
            EtcdServer survivor = cluster.leader();
            List<EtcdServer> killed = cluster.followers();
            killed.forEach(EtcdServer::kill);
            // the leader steps down once it misses its quorum (an election timeout)
            await("no leader left").atMost(Duration.ofSeconds(30)).until(() -> cluster.currentLeader().isEmpty());

            ClusterProbe.Result result = probe.probe(spec(cluster.clientUrls()), MEMBER_TIMEOUT);

            assertThat(result.reachable()).extracting(MemberStatus::endpoint).containsExactly(survivor.clientUrl());
            assertThatThrownBy(result::chooseSource)
                    .isInstanceOfSatisfying(EtcdFailure.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER))
                    .hasMessageContaining("(" + survivor.clientUrl() + ") answered at raft term")
                    .hasMessageContaining(killed.get(0).clientUrl() + ": ")
                    .hasMessageContaining(killed.get(1).clientUrl() + ": ");
        }
    }

    private static StallingProxy proxyToEtcd() {
        URI client = URI.create(etcd.clientUrl());
        return StallingProxy.to(client.getHost(), client.getPort());
    }

    private static ClusterSpec spec(StallingProxy proxy) {
        return spec(List.of(proxy.url()));
    }

    private static ClusterSpec spec(List<String> endpoints) {
        return new ClusterSpec(endpoints, null, null, null, List.of(), null, Map.of());
    }
}
