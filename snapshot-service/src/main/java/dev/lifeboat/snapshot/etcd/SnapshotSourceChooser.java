package dev.lifeboat.snapshot.etcd;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.lifeboat.events.FailureReason;

/**
 * Chooses the member to snapshot: the current leader, and only the leader. A follower's snapshot
 * can lag without anyone knowing, since a member cut off from the cluster still reports its old
 * leader; so when no reachable member is the leader, or the one that says so is behind the term of
 * another reachable member (a leader deposed in a minority), no snapshot is taken: NO_LEADER. The
 * freshness watchdog then sees the gap instead of counting a lagging copy as fresh. The shapes an
 * election in progress takes (no member has a leader; the leader they name did not answer) are
 * {@link EtcdFailure#electionPending retriable}: the taker asks again for a while.
 */
public final class SnapshotSourceChooser {
    private SnapshotSourceChooser() {}

    /** @param statuses reachable members; {@code errors} the endpoints that did not answer, with why */
    public static MemberStatus choose(List<MemberStatus> statuses, Map<String, String> errors) {
        if (statuses.isEmpty()) {
            throw new EtcdFailure(FailureReason.ETCD_UNREACHABLE,
                    "no etcd endpoint answered: " + describe(errors));
        }
        if (statuses.stream().allMatch(s -> s.leaderId() == 0)) {
            throw EtcdFailure.electionPending("the cluster has no leader: "
                    + seen(statuses, errors) + "; no member leads without a quorum or during an election, so no snapshot is taken");
        }
        long newestTerm = statuses.stream().mapToLong(MemberStatus::raftTerm).max().orElseThrow();
        Optional<MemberStatus> leader = statuses.stream().filter(MemberStatus::isLeader)
                .max(Comparator.comparingLong(MemberStatus::raftTerm));
        if (leader.isEmpty()) {
            String message = "the leader the members report ("
                    + statuses.stream().map(s -> Long.toHexString(s.leaderId())).distinct()
                    .collect(Collectors.joining(", ")) + ") is not among the endpoints that answered ("
                    + seen(statuses, errors) + ")"
                    + "; a follower's snapshot may lag, so none is taken";
            // with every endpoint answering, the leader is not registered: asking again cannot help
            throw errors.isEmpty()
                    ? new EtcdFailure(FailureReason.NO_LEADER, message + ": register every member's endpoint")
                    : EtcdFailure.electionPending(message);
        }
        if (leader.get().raftTerm() < newestTerm) {
            throw new EtcdFailure(FailureReason.NO_LEADER, "member " + leader.get().memberIdHex() + " ("
                    + leader.get().endpoint() + ") says it leads at raft term " + leader.get().raftTerm()
                    + ", but another member is at term " + newestTerm + ": a deposed leader, so no snapshot is taken");
        }
        return leader.get();
    }

    /** What the probe saw: each member that answered (id, endpoint, term, whom it follows), then each silent endpoint. */
    private static String seen(List<MemberStatus> statuses, Map<String, String> errors) {
        String answered = statuses.stream().map(s -> "member " + s.memberIdHex() + " (" + s.endpoint()
                + ") answered at raft term " + s.raftTerm() + (s.leaderId() == 0 ? " without a leader"
                : s.isLeader() ? " as leader" : " following " + Long.toHexString(s.leaderId())))
                .collect(Collectors.joining("; "));
        return errors.isEmpty() ? answered : answered + "; " + describe(errors);
    }

    private static String describe(Map<String, String> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((endpoint, why) -> b.append(b.length() == 0 ? "" : "; ").append(endpoint).append(": ").append(why));
        return b.toString();
    }
}
