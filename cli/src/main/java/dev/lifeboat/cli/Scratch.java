package dev.lifeboat.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files and directories a command writes before it commits: removed when the command fails, and
 * by a shutdown hook when it is interrupted (Ctrl-C), so no half-written state is left behind.
 */
public final class Scratch implements AutoCloseable {
    private final Set<Path> paths = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::removeAll, "lifeboat-scratch-cleanup");

    public Scratch() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path add(Path p) {
        paths.add(p);
        return p;
    }

    /** The path now belongs to the result (or is gone): no longer removed. */
    public void keep(Path p) {
        paths.remove(p);
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void removeAll() {
        for (Path p : paths) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                System.err.println("lifeboat: could not remove " + p + ": " + e.getMessage());
            }
            paths.remove(p);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
