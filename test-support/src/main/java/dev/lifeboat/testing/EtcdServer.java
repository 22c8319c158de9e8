package dev.lifeboat.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.lifeboat.common.etcd.EtcdLaunch;
import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.common.etcd.EtcdStartException;

/**
 * A real single-member etcd (Debian's etcd-server 3.4) on free loopback ports, optionally with
 * TLS and client-certificate authentication, started by the product's own launcher
 * ({@link EtcdProcess}: ports never handed out twice, a lost bind race retried on new ports).
 * Binaries come from PATH, or LIFEBOAT_ETCD_BIN / LIFEBOAT_ETCDCTL_BIN.
 */
public final class EtcdServer implements AutoCloseable {
    private static final long QUOTA_BYTES = 4L * 1024 * 1024 * 1024;

    private final TlsBundle tls;
    private final Path dataDir;
    private final EtcdProcess process;

    private EtcdServer(TlsBundle tls, Path dataDir, EtcdProcess process) {
        this.tls = tls;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Starts a plain-HTTP etcd in {@code workDir} on free ports. */
    public static EtcdServer start(Path workDir) {
        return start(workDir, null);
    }

    /** Starts etcd with TLS and {@code --client-cert-auth} when {@code tls} is given. */
    public static EtcdServer start(Path workDir, TlsBundle tls) {
        EtcdLaunch launch = launch(workDir, tls);
        try {
            return new EtcdServer(tls, launch.dataDir(), EtcdProcess.start(launch));
        } catch (EtcdStartException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting etcd", e);
        }
    }

    /**
     * Restores {@code snapshot} with stock {@code etcdctl snapshot restore} (hash check included) into
     * a new data directory under {@code workDir}, with this server's name and peer URL, and returns the
     * server NOT yet started: a test may change {@link #dataDir()} before {@link #start()}.
     */
    public static EtcdServer restoredFrom(Path workDir, Path snapshot) {
        EtcdLaunch launch = launch(workDir, null);
        EtcdProcess etcd = EtcdProcess.unstarted(launch);
        String peerUrl = etcd.ports().peerUrl();
        Commands.check(List.of(etcdctlBinary(), "snapshot", "restore", snapshot.toString(),
                "--name", launch.name(), "--data-dir", launch.dataDir().toString(),
                "--initial-cluster", launch.name() + "=" + peerUrl,
                "--initial-advertise-peer-urls", peerUrl));
        return new EtcdServer(null, launch.dataDir(), etcd);
    }

    /**
     * One member of a new multi-member cluster ({@link EtcdCluster}), NOT yet started: on exactly
     * {@code ports}, with {@code launch}'s peers and flags; {@link #launch()} starts it.
     */
    static EtcdServer member(EtcdLaunch launch) {
        return new EtcdServer(null, launch.dataDir(), EtcdProcess.unstarted(launch));
    }

    static EtcdLaunch plainLaunch(Path workDir, String name) {
        return EtcdLaunch.plain(etcdBinary(), name, workDir.resolve("data"), workDir, QUOTA_BYTES);
    }

    /** Starts it (not running yet, or killed) and says why it could not: a lost bind race is {@code PORTS_TAKEN}. */
    void launch() throws EtcdStartException, InterruptedException {
        process.restart();
    }

    private static EtcdLaunch launch(Path workDir, TlsBundle tls) {
        EtcdLaunch launch = plainLaunch(workDir, "etcd-" + workDir.getFileName());
        if (tls != null) {
            launch = launch.withTls(List.of("--cert-file", tls.serverCert().toString(),
                    "--key-file", tls.serverKey().toString(),
                    "--trusted-ca-file", tls.caCert().toString(),
                    "--client-cert-auth"));
        }
        return launch;
    }

    public static String etcdBinary() {
        return System.getenv().getOrDefault("LIFEBOAT_ETCD_BIN", "etcd");
    }

    public static String etcdctlBinary() {
        return System.getenv().getOrDefault("LIFEBOAT_ETCDCTL_BIN", "etcdctl");
    }

    /** Starts it after {@link #kill} (or {@link #restoredFrom}), on the same ports and data directory. */
    public void start() {
        try {
            process.restart();
        } catch (EtcdStartException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting etcd", e);
        }
    }

    public String clientUrl() {
        return process.clientUrl();
    }

    public int clientPort() {
        return process.ports().client();
    }

    public TlsBundle tls() {
        return tls;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return process.isAlive();
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

    /** Kills the process at once (SIGKILL), like a crash or a lost machine; {@link #start()} brings it back. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
