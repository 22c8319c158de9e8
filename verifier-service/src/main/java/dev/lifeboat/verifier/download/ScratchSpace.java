package dev.lifeboat.verifier.download;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The verifier's local scratch disk, shared by every verification running at once. A
 * verification reserves what it will write (the downloaded file and the drill's restored copy)
 * before it downloads anything, and waits while other verifications hold the room it needs, so
 * the disk never has to hold more than the reservations admitted. A snapshot that does not fit
 * even with nothing else reserved is refused at once ({@link ScratchSpaceException}).
 */
public final class ScratchSpace {
    private final Path dir;
    private final OptionalLong limit;
    private final LongSupplier usable;
    private long reserved;

    /**
     * @param limit most bytes of all reservations together; empty: the free space of {@code dir}'s
     *              file system, less what is reserved (written or not)
     */
    public ScratchSpace(Path dir, OptionalLong limit) {
        this(dir, limit, () -> usableSpace(dir));
    }

    ScratchSpace(Path dir, OptionalLong limit, LongSupplier usable) {
        this.dir = dir;
        this.limit = limit;
        this.usable = usable;
    }

    /** Bytes a verification of a raw snapshot of {@code snapshotBytes} needs: the file and its restored copy. */
    public static long neededFor(long snapshotBytes) {
        return 2 * Math.max(0, snapshotBytes);
    }

    /** Blocks until {@code bytes} are free for this caller; the reservation is returned by closing it. */
    public synchronized Reservation reserve(long bytes) throws ScratchSpaceException, InterruptedException {
        while (true) {
            long free = free();
            if (bytes <= free) {
                reserved += bytes;
                return new Reservation(bytes);
            }
            if (reserved == 0) {
                throw new ScratchSpaceException("the snapshot and its restored copy need " + bytes + " bytes of scratch "
                        + "space under " + dir + ", only " + Math.max(0, free) + " are free"
                        + (limit.isPresent() ? " (lifeboat.verifier.scratch-limit-bytes=" + limit.getAsLong() + ")" : ""));
            }
            wait();
        }
    }

    /** Bytes reserved by running verifications. */
    public synchronized long reserved() {
        return reserved;
    }

    private long free() {
        return limit.isPresent() ? limit.getAsLong() - reserved : usable.getAsLong() - reserved;
    }

    private synchronized void release(long bytes) {
        reserved -= bytes;
        notifyAll();
    }

    private static long usableSpace(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space under " + dir, e);
        }
    }

    /** Room held by one verification until it is closed. */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean released;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            synchronized (ScratchSpace.this) {
                if (!released) {
                    released = true;
                    release(bytes);
                }
            }
        }
    }
}
