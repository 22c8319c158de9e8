package dev.lifeboat.common.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * How to start one etcd member on loopback ports: a single-member cluster, or (tests only) one member
 * of a cluster whose other members {@link #peers} names.
 *
 * @param binary       the {@code etcd} executable (a name found on PATH, or a path)
 * @param name         the member name
 * @param dataDir      its data directory (fresh, or restored by {@code etcdctl snapshot restore})
 * @param workDir      where its log ({@code etcd.log}) and pid file ({@code etcd.pid}) go
 * @param tls          whether the client URL is https; the TLS flags themselves go in {@code extraFlags}
 * @param quotaBytes   {@code --quota-backend-bytes}
 * @param extraFlags   further flags, such as the certificate files
 * @param readyTimeout how long one start may take until etcd serves clients
 * @param ports        where ports come from ({@link LoopbackPorts#next} unless a test says otherwise)
 * @param peers        the other members of a new cluster as {@code name=peerUrl} (empty: a single-member
 *                     cluster); they go into {@code --initial-cluster} beside this member's own peer URL
 */
public record EtcdLaunch(String binary, String name, Path dataDir, Path workDir, boolean tls, long quotaBytes,
                         List<String> extraFlags, Duration readyTimeout, IntSupplier ports,
                         List<String> peers) {
    public EtcdLaunch {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(workDir, "workDir");
        extraFlags = List.copyOf(extraFlags);
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("ready timeout must be positive, got " + readyTimeout);
        }
        Objects.requireNonNull(ports, "ports");
        peers = List.copyOf(peers);
    }

    /** A plain-HTTP etcd with the given quota, ready within 30 seconds, on {@link LoopbackPorts}. */
    public static EtcdLaunch plain(String binary, String name, Path dataDir, Path workDir, long quotaBytes) {
        return new EtcdLaunch(binary, name, dataDir, workDir, false, quotaBytes, List.of(), Duration.ofSeconds(30),
                LoopbackPorts::next, List.of());
    }

    public EtcdLaunch withTls(List<String> tlsFlags) {
        return new EtcdLaunch(binary, name, dataDir, workDir, true, quotaBytes, tlsFlags, readyTimeout, ports, peers);
    }

    public EtcdLaunch withReadyTimeout(Duration timeout) {
        return new EtcdLaunch(binary, name, dataDir, workDir, tls, quotaBytes, extraFlags, timeout, ports, peers);
    }

    public EtcdLaunch withPorts(IntSupplier source) {
        return new EtcdLaunch(binary, name, dataDir, workDir, tls, quotaBytes, extraFlags, readyTimeout, source, peers);
    }

    /** One member of a new multi-member cluster: {@code others} are the other members as {@code name=peerUrl}. */
    public EtcdLaunch withPeers(List<String> others) {
        return new EtcdLaunch(binary, name, dataDir, workDir, tls, quotaBytes, extraFlags, readyTimeout, ports, others);
    }

    /** The same launch with {@code more} flags after the ones it has (such as a cluster's raft timings). */
    public EtcdLaunch withMoreFlags(List<String> more) {
        List<String> flags = new java.util.ArrayList<>(extraFlags);
        flags.addAll(more);
        return new EtcdLaunch(binary, name, dataDir, workDir, tls, quotaBytes, flags, readyTimeout, ports, peers);
    }
}
