package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.FailureReason;

class SnapshotSourceChooserTest {
    private static MemberStatus member(String endpoint, long id, long leader, long raftIndex) {
        return new MemberStatus(endpoint, id, leader, 10, raftIndex, "3.4.23", 4096);
    }

    @Test
    void choosesTheLeaderEvenWhenAFollowerIsAhead() {
        MemberStatus leader = member("https://a:2379", 1, 1, 100);
        assertThat(SnapshotSourceChooser.choose(List.of(member("https://b:2379", 2, 1, 101), leader), Map.of()))
                .isEqualTo(leader);
    }

    @Test
    void withoutTheLeaderAmongTheEndpointsChoosesTheMostUpToDateMember() {
        MemberStatus ahead = member("https://c:2379", 3, 1, 120);
        assertThat(SnapshotSourceChooser.choose(List.of(member("https://b:2379", 2, 1, 100), ahead), Map.of()))
                .isEqualTo(ahead);
    }

    @Test
    void nobodyAnsweringIsEtcdUnreachable() {
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(List.of(), Map.of("https://a:2379", "refused")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE))
                .hasMessageContaining("https://a:2379: refused");
    }

    @Test
    void membersWithoutLeaderIsNoLeader() {
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(List.of(member("https://a:2379", 1, 0, 5)), Map.of()))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER));
    }
}
