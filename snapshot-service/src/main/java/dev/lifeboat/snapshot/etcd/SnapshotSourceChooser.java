package dev.lifeboat.snapshot.etcd;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.lifeboat.events.FailureReason;

/**
 * Chooses the member to snapshot: the leader, since a follower's snapshot can lag. If the leader
 * is not among the registered endpoints, the reachable member with the highest raft index.
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
            throw new EtcdFailure(FailureReason.NO_LEADER,
                    "the cluster has no leader (" + statuses.size() + " member(s) answered without one)");
        }
        return statuses.stream().filter(MemberStatus::isLeader).findFirst()
                .orElseGet(() -> statuses.stream().filter(s -> s.leaderId() != 0)
                        .max(Comparator.comparingLong(MemberStatus::raftIndex)).orElseThrow());
    }

    private static String describe(Map<String, String> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((endpoint, why) -> b.append(b.length() == 0 ? "" : "; ").append(endpoint).append(": ").append(why));
        return b.toString();
    }
}
