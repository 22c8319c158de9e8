package dev.lifeboat.snapshot.etcd;

/** What one member said about itself. Ids are etcd's member ids. */
public record MemberStatus(String endpoint, long memberId, long leaderId, long revision, long raftIndex,
                           String version, long dbSize) {

    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }

    public String memberIdHex() {
        return Long.toHexString(memberId);
    }
}
