package dev.lifeboat.inspect;

import dev.lifeboat.common.snapshotfile.EtcdSnapshotFile;
import dev.lifeboat.inspect.bolt.BoltCommit;
import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.bolt.BoltTransaction;
import dev.lifeboat.inspect.status.Revisions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code etcdutl snapshot restore --bump-revision K --mark-compacted} (etcd 3.5.10, etcdctl 3.4.27)
 * in pure Java, for etcd 3.4.23, which has neither: one bbolt transaction that
 * <ul>
 * <li>puts into bucket {@code key} the revision key {@code (previous + K, 0)} with an empty value —
 * exactly etcdutl's marker. etcd's restore reads it as a KeyValue with an empty key, which no client
 * can ask for, and takes its revision as the current one: the next write gets previous + K + 1;</li>
 * <li>with {@code markCompacted}, puts into bucket {@code meta} {@code scheduledCompactRev} = the same
 * 17-byte revision key. At start etcd resumes that compaction, so every read or watch below
 * previous + K fails with "required revision has been compacted" (clients such as kube-apiserver's
 * informers then re-list instead of serving stale state).</li>
 * </ul>
 * {@code previous} is the revision etcd would serve on this database: the main revision of the last
 * key of bucket {@code key}, or {@code finishedCompactRev} when a compaction removed everything above
 * it (etcdutl takes only the former, which can come out lower than what etcd served).
 *
 * <p>Two entry points. {@link #apply} changes a plain bbolt database — the {@code member/snap/db} of
 * a restored data directory, after the restore's own changes (consistent index, members) and before
 * the WAL is written, as etcdutl orders it. {@link #applyToSnapshot} changes a snapshot file as etcd
 * writes it (database + 32-byte sha256 trailer) and writes the new trailer, so that every member
 * restored from it gets the same bumped database and {@code etcdctl snapshot restore} accepts it; the
 * snapshot's {@code snapshot status} (hash, revision, total keys, size) changes, so the manifest keeps
 * the original's. Neither is idempotent: a second call bumps again.
 */
public final class RevisionBump {
    static final String KEY_BUCKET = "key";
    static final String META_BUCKET = "meta";
    static final byte[] SCHEDULED_COMPACT_REV = "scheduledCompactRev".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FINISHED_COMPACT_REV = "finishedCompactRev".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 20;

    /**
     * @param previousRevision the revision etcd served on the database before
     * @param newRevision      the revision it serves after, {@code previousRevision + K}
     */
    public record BumpResult(long previousRevision, long newRevision) {
    }

    private RevisionBump() {
    }

    /**
     * Bumps a bbolt database file in place (a data directory's {@code member/snap/db}). Crash-safe by
     * bbolt's own ordering: new pages are appended and synced before the meta page that points at
     * them, so a crash leaves the database unchanged or bumped.
     *
     * @param k             how far the revision jumps; at least 1
     * @param markCompacted also mark every revision below the new one compacted
     * @throws CorruptSnapshotException CORRUPT_DB when the database is not a valid etcd backend, or the
     *                                  file is a snapshot with its trailer (use {@link #applyToSnapshot})
     */
    public static BumpResult apply(Path db, long k, boolean markCompacted) throws IOException, CorruptSnapshotException {
        checkAmount(k);
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (EtcdSnapshotFile.sizeRuleHolds(size)) {
                throw new CorruptSnapshotException(Corruption.CORRUPT_DB, db.getFileName()
                        + " ends in a snapshot trailer, not whole pages: bump it as a snapshot file");
            }
            Plan plan = plan(channel, size, k, markCompacted);
            plan.commit.write(channel);
            return plan.result;
        }
    }

    /**
     * Bumps an etcd snapshot file in place and replaces its sha256 trailer. The old trailer is checked
     * in the same pass that hashes the new database: a damaged snapshot is refused (HASH_MISMATCH)
     * before anything is written, never blessed with a fresh trailer. Run it on a working copy: a crash
     * midway leaves a file whose trailer fails etcd's hash check (it fails closed, never silently).
     *
     * @throws CorruptSnapshotException TRUNCATED, HASH_MISMATCH or CORRUPT_DB
     */
    public static BumpResult applyToSnapshot(Path snapshot, long k, boolean markCompacted)
            throws IOException, CorruptSnapshotException {
        checkAmount(k);
        try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (!EtcdSnapshotFile.sizeRuleHolds(size)) {
                throw new CorruptSnapshotException(Corruption.TRUNCATED, EtcdSnapshotFile.sizeRuleBroken(size));
            }
            long databaseSize = size - EtcdSnapshotFile.TRAILER;
            Plan plan = plan(channel, databaseSize, k, markCompacted);
            if (plan.commit.previousDatabaseSize() != databaseSize) {
                throw new CorruptSnapshotException(Corruption.CORRUPT_DB, "snapshot holds "
                        + (databaseSize - plan.commit.previousDatabaseSize()) + " bytes past the end of the database");
            }
            byte[] trailer = newTrailer(channel, plan.commit);
            plan.commit.write(channel);
            long end = plan.commit.databaseSize();
            ByteBuffer t = ByteBuffer.wrap(trailer);
            while (t.hasRemaining()) {
                channel.write(t, end + t.position());
            }
            channel.truncate(end + EtcdSnapshotFile.TRAILER);
            channel.force(false);
            return plan.result;
        }
    }

    private record Plan(BoltCommit commit, BumpResult result) {
    }

    private static Plan plan(FileChannel channel, long databaseSize, long k, boolean markCompacted)
            throws CorruptSnapshotException {
        try {
            BoltTransaction tx = BoltTransaction.begin(channel, databaseSize);
            BumpResult result = addTo(tx, k, markCompacted);
            return new Plan(tx.prepare(), result);
        } catch (BoltFormatException e) {
            throw new CorruptSnapshotException(e.truncated() ? Corruption.TRUNCATED : Corruption.CORRUPT_DB, e.getMessage());
        }
    }

    /**
     * Adds the bump's puts to a transaction the caller commits, so a restore can make its own
     * changes to the same database (such as {@code meta/consistent_index}) in one commit.
     *
     * @throws BoltFormatException when bucket {@code key} or {@code meta} is missing or damaged
     */
    public static BumpResult addTo(BoltTransaction tx, long k, boolean markCompacted) throws BoltFormatException {
        checkAmount(k);
        byte[] last = tx.lastKey(KEY_BUCKET);
        long latest = last == null ? 0 : Revisions.mainOf(ByteBuffer.wrap(last));
        byte[] finished = tx.get(META_BUCKET, FINISHED_COMPACT_REV);
        long compacted = finished == null ? 0 : Revisions.mainOf(ByteBuffer.wrap(finished));
        long previous = Math.max(latest, compacted);
        if (previous > Long.MAX_VALUE - k) {
            throw new IllegalArgumentException("revision " + previous + " + " + k + " overflows");
        }
        long bumped = previous + k;
        byte[] revision = Revisions.key(bumped, 0);
        tx.put(KEY_BUCKET, revision, new byte[0]);
        if (markCompacted) {
            tx.put(META_BUCKET, SCHEDULED_COMPACT_REV, revision);
        }
        return new BumpResult(previous, bumped);
    }

    /**
     * One read of the database: checks the old trailer and hashes the new database (the old bytes
     * with the new meta page in its slot, then the appended pages).
     */
    private static byte[] newTrailer(FileChannel channel, BoltCommit commit) throws IOException, CorruptSnapshotException {
        MessageDigest before = sha256();
        MessageDigest after = sha256();
        long databaseSize = commit.previousDatabaseSize();
        ByteBuffer meta = commit.metaPage();
        long metaStart = (long) commit.metaPageId() * meta.capacity();
        long metaEnd = metaStart + meta.capacity();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (long position = 0; position < databaseSize; ) {
            chunk.clear().limit((int) Math.min(CHUNK, databaseSize - position));
            readFully(channel, chunk, position);
            before.update(chunk.array(), 0, chunk.limit());
            long from = Math.max(position, metaStart);
            long to = Math.min(position + chunk.limit(), metaEnd);
            if (from < to) {
                meta.get((int) (from - metaStart), chunk.array(), (int) (from - position), (int) (to - from));
            }
            after.update(chunk.array(), 0, chunk.limit());
            position += chunk.limit();
        }
        ByteBuffer trailer = ByteBuffer.allocate(EtcdSnapshotFile.TRAILER);
        readFully(channel, trailer, databaseSize);
        if (!MessageDigest.isEqual(trailer.array(), before.digest())) {
            throw new CorruptSnapshotException(Corruption.HASH_MISMATCH,
                    "the snapshot's sha256 trailer does not match its bytes; refusing to bump it");
        }
        after.update(commit.appendedPages());
        return after.digest();
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("file shrank while it was read");
            }
        }
        buf.flip();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void checkAmount(long k) {
        if (k < 1) {
            throw new IllegalArgumentException("the revision bump must be at least 1, not " + k);
        }
    }
}
