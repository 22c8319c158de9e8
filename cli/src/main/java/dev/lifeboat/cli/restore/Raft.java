package dev.lifeboat.cli.restore;

import java.util.List;

/**
 * Messages of etcd 3.4's raftpb, walpb, snappb and etcdserverpb that a restored member's files hold,
 * encoded byte for byte as etcd encodes them.
 */
final class Raft {
    /** raftpb.EntryType EntryConfChange. */
    private static final int ENTRY_CONF_CHANGE = 1;
    /** raftpb.ConfChangeType ConfChangeAddNode. */
    private static final int ADD_NODE = 0;

    private Raft() {
    }

    /** etcdserverpb.Metadata {NodeID = 1, ClusterID = 2}: the WAL's metadata record. */
    static byte[] metadata(long nodeId, long clusterId) {
        return new Protobuf().varint(1, nodeId).varint(2, clusterId).toByteArray();
    }

    /** raftpb.ConfChange {ID = 1, Type = 2, NodeID = 3, Context = 4} adding a member. */
    static byte[] addNode(long nodeId, byte[] context) {
        return new Protobuf().varint(1, 0).varint(2, ADD_NODE).varint(3, nodeId).bytes(4, context).toByteArray();
    }

    /** raftpb.Entry {Type = 1, Term = 2, Index = 3, Data = 4} of a configuration change. */
    static byte[] confChangeEntry(long term, long index, byte[] confChange) {
        return new Protobuf().varint(1, ENTRY_CONF_CHANGE).varint(2, term).varint(3, index).bytes(4, confChange)
                .toByteArray();
    }

    /** raftpb.HardState {Term = 1, Vote = 2, Commit = 3}. */
    static byte[] hardState(long term, long vote, long commit) {
        return new Protobuf().varint(1, term).varint(2, vote).varint(3, commit).toByteArray();
    }

    /** walpb.Snapshot {Index = 1, Term = 2}: where the WAL's state starts. */
    static byte[] walSnapshot(long index, long term) {
        return new Protobuf().varint(1, index).varint(2, term).toByteArray();
    }

    /**
     * raftpb.Snapshot {Data = 1, Metadata = 2 {ConfState = 1 {Voters = 1 (repeated, unpacked),
     * AutoLeave = 5}, Index = 2, Term = 3}}.
     */
    static byte[] snapshot(byte[] data, List<Long> voters, long index, long term) {
        Protobuf confState = new Protobuf();
        voters.forEach(v -> confState.varint(1, v));
        confState.varint(5, 0);
        byte[] metadata = new Protobuf().bytes(1, confState.toByteArray()).varint(2, index).varint(3, term)
                .toByteArray();
        return new Protobuf().bytes(1, data).bytes(2, metadata).toByteArray();
    }

    /** snappb.Snapshot {Crc = 1, Data = 2}: the content of a {@code .snap} file. */
    static byte[] snapFile(byte[] raftSnapshot) {
        return new Protobuf().varint(1, Crc32c.update(0, raftSnapshot)).bytes(2, raftSnapshot).toByteArray();
    }

    /** walpb.Record {Type = 1, Crc = 2, Data = 3 (absent when null)}. */
    static byte[] record(long type, long crc, byte[] data) {
        Protobuf p = new Protobuf().varint(1, type).varint(2, crc);
        if (data != null) {
            p.bytes(3, data);
        }
        return p.toByteArray();
    }
}
