package dev.lifeboat.verifier.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.lifeboat.common.etcd.ChildProcesses;
import dev.lifeboat.common.etcd.EtcdLaunch;
import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.common.etcd.EtcdStartException;

/**
 * One drill's fresh directory and the processes started in it. {@link #close()} kills them and
 * deletes the directory; it may run twice (a service stop, then the drill's own cleanup, which
 * deletes again whatever the drill's thread wrote after the stop).
 */
final class DrillWorkspace implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<EtcdProcess> etcds = new ArrayList<>();
    private boolean closed;

    private DrillWorkspace(Path dir) {
        this.dir = dir;
    }

    static DrillWorkspace create(Path parent) {
        try {
            Files.createDirectories(parent);
            return new DrillWorkspace(Files.createTempDirectory(parent, "drill-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a drill directory under " + parent, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Starts a process whose output goes to {@code logName} in this workspace. */
    synchronized Process start(List<String> command, String logName) throws IOException {
        if (closed) {
            throw new IOException("drill workspace already removed");
        }
        Process p = ChildProcesses.builder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()))
                .start();
        p.getOutputStream().close();
        processes.add(p);
        return p;
    }

    /** Starts the scratch etcd here (its log and pid file in this directory); closing the workspace stops it. */
    <E extends Exception> EtcdProcess startEtcd(EtcdLaunch launch, EtcdProcess.Preparation<E> preparation)
            throws E, EtcdStartException, InterruptedException {
        synchronized (this) {
            if (closed) {
                throw new EtcdStartException(EtcdStartException.Kind.CANNOT_START, "drill workspace already removed");
            }
        }
        return EtcdProcess.start(launch, preparation, this::own);
    }

    /** Known from the moment it is spawned, so that a service stop kills it even while it starts. */
    private synchronized void own(EtcdProcess etcd) {
        etcds.add(etcd);
        if (closed) {
            etcd.kill();
        }
    }

    /** The last lines a process wrote, for a failure message. */
    String logTail(String logName) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(logName));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            etcds.forEach(EtcdProcess::close);
            for (Process p : processes) {
                stop(p);
            }
        }
        // every time: after a service stop removed the directory, the drill's thread may still have
        // written into it (a start that saw its etcd killed); the drill's own close comes after that
        deleteTree(dir);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // keep deleting the rest; a leftover file must not stop the cleanup
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the directory vanished while walking: nothing left to delete
        }
    }
}
