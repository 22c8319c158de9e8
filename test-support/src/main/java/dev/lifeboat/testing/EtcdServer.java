package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real single-member etcd (Debian's etcd-server 3.4) on free loopback ports, optionally with
 * TLS and client-certificate authentication. Binaries come from PATH, or LIFEBOAT_ETCD_BIN /
 * LIFEBOAT_ETCDCTL_BIN.
 */
public final class EtcdServer implements AutoCloseable {
    private final Path dataDir;
    private final Path workDir;
    private final TlsBundle tls;
    private final int clientPort;
    private final int peerPort;
    private final String name;
    private ServerProcess process;

    private EtcdServer(Path workDir, TlsBundle tls, int clientPort) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.tls = tls;
        this.clientPort = clientPort;
        this.peerPort = FreePorts.next();
        this.name = "etcd-" + clientPort;
    }

    /** Starts a plain-HTTP etcd in {@code workDir} on a free port. */
    public static EtcdServer start(Path workDir) {
        return start(workDir, null, FreePorts.next());
    }

    /** Starts etcd with TLS and {@code --client-cert-auth} when {@code tls} is given. */
    public static EtcdServer start(Path workDir, TlsBundle tls) {
        return start(workDir, tls, FreePorts.next());
    }

    public static EtcdServer start(Path workDir, TlsBundle tls, int clientPort) {
        EtcdServer server = new EtcdServer(workDir, tls, clientPort);
        server.start();
        return server;
    }

    /**
     * Restores {@code snapshot} with stock {@code etcdctl snapshot restore} (hash check included) into
     * a new data directory under {@code workDir}, with this server's name and peer URL, and returns the
     * server NOT yet started: a test may change {@link #dataDir()} before {@link #start()}.
     */
    public static EtcdServer restoredFrom(Path workDir, Path snapshot) {
        EtcdServer server = new EtcdServer(workDir, null, FreePorts.next());
        Commands.check(List.of(etcdctlBinary(), "snapshot", "restore", snapshot.toString(),
                "--name", server.name, "--data-dir", server.dataDir.toString(),
                "--initial-cluster", server.name + "=" + server.peerUrl(),
                "--initial-advertise-peer-urls", server.peerUrl()));
        return server;
    }

    public static String etcdBinary() {
        return System.getenv().getOrDefault("LIFEBOAT_ETCD_BIN", "etcd");
    }

    public static String etcdctlBinary() {
        return System.getenv().getOrDefault("LIFEBOAT_ETCDCTL_BIN", "etcdctl");
    }

    /** Starts (again) on the same ports and data directory. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String scheme = tls == null ? "http" : "https";
        String clientUrl = scheme + "://127.0.0.1:" + clientPort;
        String peerUrl = peerUrl();
        List<String> cmd = new ArrayList<>(List.of(etcdBinary(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", name + "=" + peerUrl,
                "--initial-cluster-state", "new",
                "--quota-backend-bytes", String.valueOf(4L * 1024 * 1024 * 1024),
                "--logger", "zap"));
        if (tls != null) {
            cmd.addAll(List.of("--cert-file", tls.serverCert().toString(),
                    "--key-file", tls.serverKey().toString(),
                    "--trusted-ca-file", tls.caCert().toString(),
                    "--client-cert-auth"));
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ServerProcess.start(name, cmd, workDir.resolve("etcd.log"));
        process.awaitReady(() -> logSays("serving client traffic") && logSays("published local member"),
                Duration.ofSeconds(30));
    }

    private boolean logSays(String text) {
        try {
            return Files.readString(process.log()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    public String clientUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public TlsBundle tls() {
        return tls;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Runs etcdctl against this server (API v3, with the client certificate when TLS is on). */
    public String etcdctl(String... args) {
        return Commands.check(etcdctlCommand(args));
    }

    public List<String> etcdctlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(etcdctlBinary(), "--endpoints", clientUrl()));
        if (tls != null) {
            cmd.addAll(List.of("--cacert", tls.caCert().toString(), "--cert", tls.clientCert().toString(),
                    "--key", tls.clientKey().toString()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Kills the process at once, like a crash or a lost machine. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
