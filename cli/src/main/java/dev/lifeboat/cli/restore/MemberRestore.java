package dev.lifeboat.cli.restore;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.cli.Scratch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Produces the data directories of one or more members from one prepared database: each member's
 * directory is built beside its target under a hidden name, and only when every one is complete are
 * they moved into place (one rename each). Any failure removes everything written, including members
 * already moved, so a restore leaves all of its directories or none.
 */
public final class MemberRestore {
    private static final int CHUNK = 8 << 20;

    /** One member to produce, and where. */
    public record Target(RestoredCluster.Member member, Path dataDir) {
    }

    private MemberRestore() {
    }

    /** Refuses a data directory that exists and is not an empty directory. */
    public static void requireEmpty(Path dataDir) {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            throw Failure.DATA_DIR_NOT_EMPTY.because(dataDir + " exists and is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            if (entries.iterator().hasNext()) {
                throw Failure.DATA_DIR_NOT_EMPTY.because(dataDir + " is not empty: restore only into a new or empty "
                        + "directory (move the old data away first)");
            }
        } catch (IOException e) {
            throw Failure.RESTORE_FAILED.because("cannot read " + dataDir + ": " + e.getMessage());
        }
    }

    /**
     * @param db the prepared database (bbolt file without trailer), on the targets' file system; it is
     *           moved into the first member and copied for the others
     */
    public static void write(Path db, RestoredCluster cluster, List<Target> targets, Path stagingParent,
                             Scratch scratch, Progress progress) throws IOException {
        List<Path> stages = new ArrayList<>();
        for (Target t : targets) {
            requireEmpty(t.dataDir());
            Path stage = scratch.add(stagingParent.resolve(".lifeboat-restore-" + t.member().name() + "-"
                    + UUID.randomUUID().toString().substring(0, 8)));
            Files.createDirectory(stage, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            stages.add(stage);
            Path snap = stage.resolve("member").resolve("snap");
            Files.createDirectories(snap);
            Files.createDirectories(stage.resolve("member").resolve("wal"));
            for (Path dir : List.of(stage.resolve("member"), snap, stage.resolve("member").resolve("wal"))) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        long size = Files.size(db);
        progress.start("restore", size * targets.size());
        for (int i = 1; i < targets.size(); i++) {
            copy(db, stages.get(i).resolve("member/snap/db"), progress);
        }
        Files.move(db, stages.get(0).resolve("member/snap/db"), StandardCopyOption.ATOMIC_MOVE);
        scratch.keep(db);
        progress.advance(size);
        progress.finish();
        for (int i = 0; i < targets.size(); i++) {
            MemberFiles.write(stages.get(i), cluster, targets.get(i).member());
        }
        commit(targets, stages, scratch);
    }

    private static void commit(List<Target> targets, List<Path> stages, Scratch scratch) throws IOException {
        List<Path> placed = new ArrayList<>();
        try {
            for (int i = 0; i < targets.size(); i++) {
                Path dataDir = targets.get(i).dataDir();
                requireEmpty(dataDir);
                if (Files.isDirectory(dataDir)) {
                    Path member = dataDir.resolve("member");
                    placed.add(member);
                    move(stages.get(i).resolve("member"), member);
                } else {
                    Files.createDirectories(dataDir.toAbsolutePath().getParent());
                    placed.add(dataDir);
                    move(stages.get(i), dataDir);
                    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Path p : placed) {
                Scratch.deleteTree(p);
            }
            throw e;
        }
        stages.forEach(scratch::keep);
        for (Path stage : stages) {
            Scratch.deleteTree(stage);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw Failure.RESTORE_FAILED.because("cannot move " + from + " to " + to
                    + " in one step (another file system): give a --data-dir on the same file system as its parent");
        }
    }

    private static void copy(Path from, Path to, Progress progress) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                long n = in.transferTo(position, Math.min(CHUNK, size - position), out);
                position += n;
                progress.advance(n);
            }
            out.force(true);
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
    }
}
