package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdClusterIT {
    @TempDir
    Path dir;

    @Test
    void aKilledLeaderIsReplacedAndRejoinsFromItsDataDirectory() {
        try (EtcdCluster cluster = EtcdCluster.start(dir.resolve("three"))) {
            Set<Integer> ports = new HashSet<>();
            cluster.members().forEach(m -> ports.add(m.clientPort()));
            assertThat(ports).hasSize(EtcdCluster.SIZE);
            cluster.etcdctl("put", "/registry/a", "1");
            EtcdCluster.MemberStatus leader = cluster.awaitLeader(Duration.ofSeconds(30));
            assertThat(cluster.statuses()).hasSize(3).filteredOn(EtcdCluster.MemberStatus::isLeader).hasSize(1);

            leader.member().kill();
            assertThat(leader.member().isRunning()).isFalse();
            EtcdCluster.MemberStatus next = cluster.awaitLeader(Duration.ofSeconds(30));
            assertThat(next.member()).isNotSameAs(leader.member());
            assertThat(next.raftTerm()).isGreaterThan(leader.raftTerm());
            cluster.etcdctl("put", "/registry/b", "2"); // two of three still take writes

            leader.member().start();
            await("old leader rejoined").atMost(Duration.ofSeconds(30)).until(() -> cluster.statuses().size() == 3);
            assertThat(leader.member().etcdctl("get", "/registry/", "--prefix", "--keys-only").lines()
                    .filter(l -> !l.isBlank()).toList()).isEqualTo(List.of("/registry/a", "/registry/b"));
        }
    }
}
