package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.FailureReason;

class SnapshotSourceChooserTest {
    private static MemberStatus member(String endpoint, long id, long leader, long raftIndex) {
        return member(endpoint, id, leader, raftIndex, 2);
    }

    private static MemberStatus member(String endpoint, long id, long leader, long raftIndex, long term) {
        return new MemberStatus(endpoint, id, leader, 10, raftIndex, term, "3.4.23", 4096);
    }

    @Test
    void choosesTheLeaderEvenWhenAFollowerIsAhead() {
        MemberStatus leader = member("https://a:2379", 1, 1, 100);
        assertThat(SnapshotSourceChooser.choose(List.of(member("https://b:2379", 2, 1, 101), leader), Map.of()))
                .isEqualTo(leader);
    }

    @Test
    void withoutTheLeaderAmongTheAnswersNothingIsTakenFromAFollower() {
        // the leader's endpoint did not answer (or is not registered): the followers may lag
        List<MemberStatus> followers = List.of(member("https://b:2379", 2, 1, 100), member("https://c:2379", 3, 1, 120));
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(followers, Map.of("https://a:2379", "refused")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER))
                .hasMessageContaining("not among the endpoints that answered")
                .hasMessageContaining("https://a:2379: refused");
    }

    @Test
    void aPartitionedFollowerThatStillNamesItsOldLeaderIsNotASource() {
        // the only member that answers is cut off from the others and still reports leader 1
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(List.of(member("https://c:2379", 3, 1, 90, 2)),
                Map.of("https://a:2379", "no answer within 5000 ms", "https://b:2379", "no answer within 5000 ms")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER));
    }

    @Test
    void aLeaderDeposedInAMinorityIsNotASource() {
        // member 1 still believes it leads at term 2; member 2 follows a new leader (3, unreachable) at term 3
        List<MemberStatus> answers = List.of(member("https://a:2379", 1, 1, 100, 2), member("https://b:2379", 2, 3, 130, 3));
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(answers, Map.of("https://c:2379", "refused")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER))
                .hasMessageContaining("deposed");
    }

    @Test
    void ofTwoMembersThatSayTheyLeadTheOneOfTheNewerTermIsChosen() {
        MemberStatus deposed = member("https://a:2379", 1, 1, 100, 2);
        MemberStatus current = member("https://c:2379", 3, 3, 130, 3);
        assertThat(SnapshotSourceChooser.choose(List.of(deposed, member("https://b:2379", 2, 3, 129, 3), current),
                Map.of())).isEqualTo(current);
    }

    @Test
    void nobodyAnsweringIsEtcdUnreachable() {
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(List.of(), Map.of("https://a:2379", "refused")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE))
                .hasMessageContaining("https://a:2379: refused");
    }

    @Test
    void membersWithoutLeaderIsNoLeaderSayingWhatWasSeen() {
        // two of three members are gone; the survivor campaigns on its own, at ever higher terms
        assertThatThrownBy(() -> SnapshotSourceChooser.choose(List.of(member("https://a:2379", 0xa1, 0, 5, 7)),
                Map.of("https://b:2379", "refused", "https://c:2379", "no answer within 5000 ms")))
                .isInstanceOfSatisfying(EtcdFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_LEADER))
                .hasMessageContaining("member a1 (https://a:2379) answered at raft term 7 without a leader")
                .hasMessageContaining("https://b:2379: refused")
                .hasMessageContaining("https://c:2379: no answer within 5000 ms");
    }

    /** Which NO_LEADER shapes an election in progress takes, and so are worth asking again. */
    @Test
    void onlyTheShapesOfAnElectionAreRetriable() {
        // the leader just died: its followers still name it, its endpoint is silent
        assertThat(failure(List.of(member("https://b:2379", 2, 1, 100), member("https://c:2379", 3, 1, 100)),
                Map.of("https://a:2379", "refused")).retriable()).isTrue();
        // then the vote: nobody has a leader
        assertThat(failure(List.of(member("https://b:2379", 2, 0, 100, 3), member("https://c:2379", 3, 0, 100, 3)),
                Map.of("https://a:2379", "refused")).retriable()).isTrue();
        // every endpoint answered and none is the leader they name: it is not registered
        EtcdFailure unregistered = failure(List.of(member("https://b:2379", 2, 1, 100), member("https://c:2379", 3, 1, 100)),
                Map.of());
        assertThat(unregistered.retriable()).isFalse();
        assertThat(unregistered).hasMessageContaining("register every member's endpoint");
        // a leader deposed in a minority
        assertThat(failure(List.of(member("https://a:2379", 1, 1, 100, 2), member("https://b:2379", 2, 3, 130, 3)),
                Map.of("https://c:2379", "refused")).retriable()).isFalse();
        // nobody answering is not NO_LEADER at all
        assertThat(failure(List.of(), Map.of("https://a:2379", "refused")).reason()).isEqualTo(FailureReason.ETCD_UNREACHABLE);
    }

    private static EtcdFailure failure(List<MemberStatus> statuses, Map<String, String> errors) {
        try {
            SnapshotSourceChooser.choose(statuses, errors);
        } catch (EtcdFailure e) {
            return e;
        }
        throw new AssertionError("a source was chosen from " + statuses);
    }
}
