package dev.lifeboat.cli.restore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what {@code etcdctl snapshot restore} (etcd 3.4) writes beside the database for one member:
 * {@code member/wal/0000000000000000-0000000000000000.wal} and {@code member/snap/<term>-<index>.snap}.
 *
 * <p>The WAL holds a CRC record, the metadata (member and cluster id), an empty snapshot marker,
 * one ConfChange entry adding each member (term 1, index 1..n, context = the member as JSON), the
 * hard state (term 1, vote = the first member by id, commit n) and a snapshot marker at (n, 1).
 * Records are framed as etcd frames them: a little-endian 8-byte length whose top byte carries the
 * padding to 8 bytes, the walpb.Record, zero padding; each record's CRC-32C continues the previous
 * one. The segment is preallocated to 64,000,000 bytes, as etcd does. The .snap file carries the
 * v2 store with the members and the raft snapshot at (n, 1) with every member as a voter.
 */
final class MemberFiles {
    static final String WAL_FILE = "0000000000000000-0000000000000000.wal";
    static final long SEGMENT_BYTES = 64L * 1000 * 1000;
    private static final long TERM = 1;
    private static final int METADATA = 1;
    private static final int ENTRY = 2;
    private static final int STATE = 3;
    private static final int CRC = 4;
    private static final int SNAPSHOT = 5;

    private MemberFiles() {
    }

    /** Writes {@code member/wal} and the .snap file under {@code member/snap} of {@code dataDir}. */
    static void write(Path dataDir, RestoredCluster cluster, RestoredCluster.Member self) throws IOException {
        Path snapDir = Files.createDirectories(dataDir.resolve("member").resolve("snap"));
        Path walDir = Files.createDirectories(dataDir.resolve("member").resolve("wal"));
        writeWal(walDir.resolve(WAL_FILE), cluster, self);
        long commit = cluster.members().size();
        List<Long> voters = cluster.members().stream().map(RestoredCluster.Member::id).toList();
        byte[] raftSnapshot = Raft.snapshot(V2Store.json(cluster).getBytes(StandardCharsets.UTF_8), voters, commit,
                TERM);
        Path snap = snapDir.resolve(String.format("%016x-%016x.snap", TERM, commit));
        try (FileChannel f = FileChannel.open(snap, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(f, ByteBuffer.wrap(Raft.snapFile(raftSnapshot)));
            f.force(true);
        }
    }

    private static void writeWal(Path file, RestoredCluster cluster, RestoredCluster.Member self) throws IOException {
        List<byte[]> records = new ArrayList<>();
        long[] crc = {0};
        records.add(Raft.record(CRC, 0, null));
        records.add(record(METADATA, Raft.metadata(self.id(), cluster.clusterId()), crc));
        records.add(record(SNAPSHOT, Raft.walSnapshot(0, 0), crc));
        long index = 0;
        for (RestoredCluster.Member m : cluster.members()) {
            index++;
            byte[] change = Raft.addNode(m.id(), memberJson(m).getBytes(StandardCharsets.UTF_8));
            records.add(record(ENTRY, Raft.confChangeEntry(TERM, index, change), crc));
        }
        records.add(record(STATE, Raft.hardState(TERM, cluster.members().get(0).id(), index), crc));
        records.add(record(SNAPSHOT, Raft.walSnapshot(index, TERM), crc));
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (byte[] r : records) {
                int padding = (8 - r.length % 8) % 8;
                long length = r.length | (padding == 0 ? 0 : (long) (0x80 | padding) << 56);
                ByteBuffer frame = ByteBuffer.allocate(8 + r.length + padding).order(ByteOrder.LITTLE_ENDIAN);
                frame.putLong(length).put(r).position(frame.capacity());
                writeFully(f, frame.flip());
            }
            // etcd preallocates the segment; the zeros past the records end it when read
            f.write(ByteBuffer.allocate(1), SEGMENT_BYTES - 1);
            f.force(true);
        }
    }

    private static byte[] record(int type, byte[] data, long[] crc) {
        crc[0] = Crc32c.update(crc[0], data);
        return Raft.record(type, crc[0], data);
    }

    /** The member as etcd's ConfChange context carries it: {@code {"id":...,"peerURLs":[...],"name":"..."}}. */
    static String memberJson(RestoredCluster.Member m) {
        return "{\"id\":" + Long.toUnsignedString(m.id()) + ",\"peerURLs\":" + GoJson.stringArray(m.peerUrls())
                + ",\"name\":" + GoJson.string(m.name()) + "}";
    }

    private static void writeFully(FileChannel f, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            f.write(b);
        }
    }
}
