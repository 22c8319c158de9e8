package dev.lifeboat.cli.restore;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.inspect.RevisionBump;
import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.bolt.BoltTransaction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The database every member starts from, changed once in one bbolt transaction: {@code consistent_index}
 * in bucket {@code meta} set to the new raft log's last index (the member count), as etcd's restore
 * does — left at the old cluster's value, etcd would skip every write until its new log caught up —
 * and, when asked, the revision bump of {@link RevisionBump}.
 */
public final class PreparedDatabase {
    private static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.US_ASCII);

    private PreparedDatabase() {
    }

    /**
     * @param db   a bbolt database file (the snapshot without its trailer), changed in place
     * @param bump revisions to add (0: none)
     * @return the bump's revisions, when there was one
     */
    public static Optional<RevisionBump.BumpResult> prepare(Path db, long consistentIndex, long bump,
                                                            boolean markCompacted) throws IOException {
        try (FileChannel f = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltTransaction tx = BoltTransaction.begin(f, f.size());
            tx.put("meta", CONSISTENT_INDEX, ByteBuffer.allocate(8).putLong(consistentIndex).array());
            Optional<RevisionBump.BumpResult> bumped = bump > 0
                    ? Optional.of(RevisionBump.addTo(tx, bump, markCompacted)) : Optional.empty();
            tx.prepare().write(f);
            return bumped;
        } catch (BoltFormatException e) {
            throw Failure.CORRUPT_DATABASE.because(e.getMessage());
        }
    }
}
