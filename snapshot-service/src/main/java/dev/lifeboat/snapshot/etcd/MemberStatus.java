package dev.lifeboat.snapshot.etcd;

/**
 * What one member said about itself. Ids are etcd's member ids; {@code raftTerm} is the member's
 * current raft term (a leader deposed in a minority stays at its old term while the majority
 * moves on).
 */
public record MemberStatus(String endpoint, long memberId, long leaderId, long revision, long raftIndex,
                           long raftTerm, String version, long dbSize) {

    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }

    public String memberIdHex() {
        return Long.toHexString(memberId);
    }
}
