package dev.lifeboat.cli.restore;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.bolt.EntryVisitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sets {@code consistent_index} in bucket {@code meta}, as etcd's restore does, to the index of the
 * last ConfChange entry of the new WAL (the member count): the new raft log starts over at 1, and an
 * index left at the old cluster's value would make etcd skip every write until its log caught up.
 * The value keeps its 8 bytes, so it is overwritten where it lies (bbolt pages carry no checksum).
 */
public final class ConsistentIndex {
    private static final ByteBuffer META = ByteBuffer.wrap("meta".getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer KEY = ByteBuffer.wrap("consistent_index".getBytes(StandardCharsets.US_ASCII));

    private ConsistentIndex() {
    }

    /** @param db a bbolt database file (no snapshot trailer) */
    public static void set(Path db, long index) throws IOException {
        try (FileChannel f = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            BoltReader reader = BoltReader.open(f, f.size());
            long[] at = {-1};
            reader.walk(name -> name.equals(META) ? (EntryVisitor) (key, value) -> {
                if (value != null && key.equals(KEY) && value.remaining() == 8) {
                    at[0] = reader.valueOffset();
                }
            } : null, false);
            if (at[0] < 0) {
                throw Failure.RESTORE_FAILED.because("the snapshot's bucket meta holds no consistent_index to reset");
            }
            ByteBuffer value = ByteBuffer.allocate(8).putLong(index).flip();
            while (value.hasRemaining()) {
                f.write(value, at[0] + value.position());
            }
            f.force(true);
        } catch (BoltFormatException e) {
            throw Failure.CORRUPT_DATABASE.because(e.getMessage());
        }
    }
}
