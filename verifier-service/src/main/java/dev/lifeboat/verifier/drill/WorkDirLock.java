package dev.lifeboat.verifier.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A verifier's hold on its work directory. At start a verifier stops every scratch etcd and removes
 * every drill it finds there, taking them for a crashed run's leftovers; a second verifier on the
 * same directory (two replicas on one host, two stacks with the default) would end the other's
 * running drills, reported as RESTORE_FAILED for healthy snapshots. So the directory is locked
 * (an OS file lock, released when the process ends, also by a crash) before anything in it is
 * touched, and a verifier that cannot get the lock does not start.
 */
public final class WorkDirLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the directory and the setting, when another verifier holds it */
    public static WorkDirLock acquire(Path workDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(workDir);
            channel = FileChannel.open(workDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw taken(workDir, "another process");
            }
            return new WorkDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw taken(workDir, "another verifier in this process");
        } catch (IllegalStateException e) {
            close(channel);
            throw e;
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock the verifier work directory " + workDir + ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException taken(Path workDir, String holder) {
        return new IllegalStateException("the verifier work directory " + workDir + " is in use by " + holder
                + "; give every verifier its own lifeboat.verifier.work-dir");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it as well
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held any more
            }
        }
    }
}
