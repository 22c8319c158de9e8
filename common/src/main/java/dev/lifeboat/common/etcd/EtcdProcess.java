package dev.lifeboat.common.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One etcd member running as a child process (a single-member cluster unless its launch names
 * peers): the one launcher of the product (the verifier's restore drill) and of the tests
 * (test-support's {@code EtcdServer} and {@code EtcdCluster}).
 *
 * <ul>
 *   <li>Ports come from {@link LoopbackPorts}, so two servers of one JVM never share one; when
 *       another process takes a port before etcd binds it, etcd is started again on new ports
 *       (up to {@value #ATTEMPTS} times), after the caller's {@link Preparation} ran for them.</li>
 *   <li>The child's environment is minimal ({@link ChildProcesses}): no secret of the service
 *       reaches it.</li>
 *   <li>A pid file ({@code etcd.pid}: pid and start time) sits in the work directory while it
 *       runs, so {@link #stopOrphans} can stop the etcd a killed JVM left behind; a normal JVM
 *       exit stops every live one.</li>
 * </ul>
 */
public final class EtcdProcess implements AutoCloseable {
    /** Starts tried on fresh ports before a start counts as {@link EtcdStartException.Kind#PORTS_TAKEN}. */
    public static final int ATTEMPTS = 3;
    public static final String LOG = "etcd.log";
    public static final String PID_FILE = "etcd.pid";
    private static final String PORT_TAKEN = "address already in use";
    private static final List<String> READY = List.of("serving client traffic", "published local member");
    private static final Set<EtcdProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(EtcdProcess::kill), "etcd-process-stop"));
    }

    /** Runs before each start attempt with that attempt's ports (the drill restores the data directory here). */
    @FunctionalInterface
    public interface Preparation<E extends Exception> {
        void prepare(Ports ports) throws E, InterruptedException;
    }

    /**
     * Told as soon as a process is spawned, before it serves: an owner that may have to stop it
     * while it starts (a service shutting down) registers it here.
     */
    @FunctionalInterface
    public interface Spawned {
        void spawned(EtcdProcess etcd);
    }

    /** The two loopback ports of one member. */
    public record Ports(int client, int peer) {
        public String peerUrl() {
            return "http://127.0.0.1:" + peer;
        }
    }

    private final EtcdLaunch launch;
    private final Ports ports;
    private volatile Process process;

    private EtcdProcess(EtcdLaunch launch, Ports ports) {
        this.launch = launch;
        this.ports = ports;
    }

    /** Starts etcd on fresh ports and waits until it serves clients. */
    public static EtcdProcess start(EtcdLaunch launch) throws EtcdStartException, InterruptedException {
        return start(launch, (Preparation<RuntimeException>) ports -> { });
    }

    /** As {@link #start(EtcdLaunch)}, running {@code preparation} for each attempt's ports first. */
    public static <E extends Exception> EtcdProcess start(EtcdLaunch launch, Preparation<E> preparation)
            throws E, EtcdStartException, InterruptedException {
        return start(launch, preparation, etcd -> { });
    }

    /** As {@link #start(EtcdLaunch, Preparation)}, telling {@code spawned} of each process it spawns. */
    public static <E extends Exception> EtcdProcess start(EtcdLaunch launch, Preparation<E> preparation,
                                                          Spawned spawned)
            throws E, EtcdStartException, InterruptedException {
        List<String> taken = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Ports ports = new Ports(launch.ports().getAsInt(), launch.ports().getAsInt());
            preparation.prepare(ports);
            EtcdProcess etcd = new EtcdProcess(launch, ports);
            try {
                etcd.launch(spawned);
                return etcd;
            } catch (EtcdStartException e) {
                if (e.kind() != EtcdStartException.Kind.PORTS_TAKEN) {
                    throw e;
                }
                taken.add(ports.client() + "/" + ports.peer());
            }
        }
        throw new EtcdStartException(EtcdStartException.Kind.PORTS_TAKEN, "etcd " + launch.name()
                + " lost the bind race for its ports on every attempt (client/peer " + taken + ")");
    }

    /**
     * Chooses the ports but does not start: for a caller that prepares the data directory for
     * exactly these ports and changes it before {@link #restart} starts it (no new ports then).
     */
    public static EtcdProcess unstarted(EtcdLaunch launch) {
        return new EtcdProcess(launch, new Ports(launch.ports().getAsInt(), launch.ports().getAsInt()));
    }

    /**
     * Starts it when it is not running (after {@link #kill}, {@link #close} or {@link #unstarted}), on
     * the same ports and data directory.
     */
    public synchronized void restart() throws EtcdStartException, InterruptedException {
        if (!isAlive()) {
            launch(etcd -> { });
        }
    }

    private void launch(Spawned spawned) throws EtcdStartException, InterruptedException {
        long logStart = spawn();
        spawned.spawned(this);
        awaitServing(logStart);
    }

    private synchronized long spawn() throws EtcdStartException {
        Path log = launch.workDir().resolve(LOG);
        long logStart;
        try {
            Files.createDirectories(launch.workDir());
            logStart = Files.exists(log) ? Files.size(log) : 0;
            process = ChildProcesses.builder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            process.getOutputStream().close();
            LIVE.add(this);
            writePidFile();
        } catch (IOException e) {
            throw new EtcdStartException(EtcdStartException.Kind.CANNOT_START,
                    "cannot start " + launch.binary() + ": " + e.getMessage(), e);
        }
        return logStart;
    }

    private List<String> command() {
        String clientUrl = clientUrl();
        String peerUrl = ports.peerUrl();
        List<String> cmd = new ArrayList<>(List.of(launch.binary(),
                "--name", launch.name(),
                "--data-dir", launch.dataDir().toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster(peerUrl),
                "--initial-cluster-state", "new",
                "--quota-backend-bytes", String.valueOf(launch.quotaBytes()),
                "--logger", "zap"));
        cmd.addAll(launch.extraFlags());
        return cmd;
    }

    private String initialCluster(String peerUrl) {
        List<String> members = new ArrayList<>(List.of(launch.name() + "=" + peerUrl));
        members.addAll(launch.peers());
        return String.join(",", members);
    }

    /** Polls etcd's own log, the only place it says it serves; a poll every 50 ms costs nothing. */
    private void awaitServing(long logStart) throws EtcdStartException, InterruptedException {
        long deadline = System.nanoTime() + launch.readyTimeout().toNanos();
        while (true) {
            String written = logSince(logStart);
            if (!process.isAlive()) {
                forget();
                throw written.contains(PORT_TAKEN)
                        ? new EtcdStartException(EtcdStartException.Kind.PORTS_TAKEN, "port " + ports + " taken")
                        : new EtcdStartException(EtcdStartException.Kind.EXITED, "etcd exited with "
                                + process.exitValue() + " before serving: " + tail(written, 5));
            }
            if (READY.stream().allMatch(written::contains)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new EtcdStartException(EtcdStartException.Kind.NOT_READY, "etcd not serving after "
                        + launch.readyTimeout() + ": " + tail(written, 5));
            }
            Thread.sleep(50);
        }
    }

    public String clientUrl() {
        return (launch.tls() ? "https" : "http") + "://127.0.0.1:" + ports.client();
    }

    public Ports ports() {
        return ports;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(this + " was never started");
        }
        return p.pid();
    }

    public Path log() {
        return launch.workDir().resolve(LOG);
    }

    /** The last {@code lines} lines of the log, for a failure message. */
    public String logTail(int lines) {
        return tail(logSince(0), lines);
    }

    /** Kills at once (SIGKILL), like a crash or a lost machine; {@link #restart} brings it back. */
    public synchronized void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p, 10);
            forget();
        }
    }

    /** Stops it (SIGTERM, then SIGKILL after 10 seconds) and removes its pid file. */
    @Override
    public synchronized void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        if (!waitFor(p, 10)) {
            p.destroyForcibly();
            waitFor(p, 10);
        }
        forget();
    }

    private void forget() {
        LIVE.remove(this);
        try {
            Files.deleteIfExists(launch.workDir().resolve(PID_FILE));
        } catch (IOException e) {
            // a stale pid file names a process that is gone or another one; stopOrphans checks both
        }
    }

    private void writePidFile() throws IOException {
        Instant started = process.toHandle().info().startInstant().orElse(Instant.EPOCH);
        Files.writeString(launch.workDir().resolve(PID_FILE), process.pid() + " " + started.toEpochMilli() + "\n");
    }

    /**
     * Stops every etcd whose pid file lies under {@code root} (at most three levels down) and is
     * still the process that file names (same pid and start time, an etcd): what a killed JVM left
     * behind. Pid files of processes already gone are removed.
     *
     * @return how many processes were stopped
     */
    public static int stopOrphans(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> pidFiles;
        try (Stream<Path> paths = Files.walk(root, 3)) {
            pidFiles = paths.filter(p -> p.getFileName().toString().equals(PID_FILE)).toList();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        int stopped = 0;
        for (Path pidFile : pidFiles) {
            Optional<ProcessHandle> orphan = orphanOf(pidFile);
            if (orphan.isPresent()) {
                ProcessHandle h = orphan.get();
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
                stopped++;
            }
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // the directory goes with the leftovers anyway
            }
        }
        return stopped;
    }

    private static Optional<ProcessHandle> orphanOf(Path pidFile) {
        String[] fields;
        try {
            fields = Files.readString(pidFile).trim().split("\\s+");
        } catch (IOException e) {
            return Optional.empty();
        }
        if (fields.length != 2) {
            return Optional.empty();
        }
        long pid;
        long startedMillis;
        try {
            pid = Long.parseLong(fields[0]);
            startedMillis = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // the same pid with another start time is another process that reused the number
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - startedMillis) < 1000).orElse(false))
                .filter(h -> h.info().command().map(c -> Path.of(c).getFileName().toString().contains("etcd"))
                        .orElse(false));
    }

    private String logSince(long offset) {
        try (InputStream in = Files.newInputStream(log())) {
            in.skipNBytes(Math.min(offset, Files.size(log())));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    @Override
    public String toString() {
        return "etcd " + launch.name() + " at " + clientUrl();
    }
}
