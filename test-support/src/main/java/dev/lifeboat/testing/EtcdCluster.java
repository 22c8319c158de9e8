package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import dev.lifeboat.common.etcd.EtcdLaunch;
import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.common.etcd.EtcdStartException;
import dev.lifeboat.common.etcd.LoopbackPorts;

/**
 * A real three-member etcd cluster (plain HTTP) on free loopback ports: three {@link EtcdServer}s,
 * started together by the same launcher ({@code common/}'s {@link EtcdProcess}), each member's
 * {@code --initial-cluster} naming the other two. A member that loses the bind race for a port
 * would be left out of a cluster the others already formed, so then the whole cluster is started
 * again on new ports and fresh data directories (up to {@link EtcdProcess#ATTEMPTS} times).
 * <p>
 * {@link #leader()} asks the members themselves ({@code etcdctl endpoint status}); a member's
 * {@link EtcdServer#kill()} is a SIGKILL and {@link EtcdServer#start()} restarts it on its ports
 * and data directory, where it rejoins the cluster.
 */
public final class EtcdCluster implements AutoCloseable {
    public static final int SIZE = 3;
    /** Raft timings a loaded test machine keeps: no spurious election while every member lives. */
    private static final List<String> RAFT = List.of("--heartbeat-interval", "200", "--election-timeout", "2000");

    private final List<EtcdServer> members;

    private EtcdCluster(List<EtcdServer> members) {
        this.members = List.copyOf(members);
    }

    /** Starts three members under {@code workDir} ({@code member-0} … {@code member-2}) and waits until all serve. */
    public static EtcdCluster start(Path workDir) {
        String token = "lifeboat-" + workDir.getFileName();
        List<String> portsTaken = new ArrayList<>();
        for (int attempt = 1; attempt <= EtcdProcess.ATTEMPTS; attempt++) {
            List<EtcdProcess.Ports> ports = IntStream.range(0, SIZE)
                    .mapToObj(i -> new EtcdProcess.Ports(LoopbackPorts.next(), LoopbackPorts.next())).toList();
            List<EtcdServer> members = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                Path dir = workDir.resolve("member-" + i);
                deleteRecursively(dir.resolve("data"));
                List<String> peers = new ArrayList<>();
                for (int j = 0; j < SIZE; j++) {
                    if (j != i) {
                        peers.add(name(token, j) + "=" + ports.get(j).peerUrl());
                    }
                }
                PrimitiveIterator.OfInt fixed = IntStream.of(ports.get(i).client(), ports.get(i).peer()).iterator();
                EtcdLaunch launch = EtcdServer.plainLaunch(dir, name(token, i))
                        .withPorts(fixed::nextInt)
                        .withPeers(peers)
                        .withMoreFlags(List.of("--initial-cluster-token", token))
                        .withMoreFlags(RAFT);
                members.add(EtcdServer.member(launch));
            }
            // a member serves only once a quorum has formed: all three start at once
            List<CompletableFuture<Void>> starts = members.stream()
                    .map(m -> CompletableFuture.runAsync(() -> launch(m))).toList();
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
                return new EtcdCluster(members);
            } catch (CompletionException e) {
                members.forEach(EtcdServer::close);
                if (e.getCause() instanceof PortsTaken) {
                    portsTaken.add(ports.toString());
                    continue;
                }
                throw new IllegalStateException("three-member etcd under " + workDir + " did not start: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        throw new IllegalStateException("three-member etcd lost the bind race on every attempt: " + portsTaken);
    }

    private static String name(String token, int i) {
        return token + "-" + i;
    }

    private static void launch(EtcdServer member) {
        try {
            member.launch();
        } catch (EtcdStartException e) {
            if (e.kind() == EtcdStartException.Kind.PORTS_TAKEN) {
                throw new PortsTaken(e);
            }
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting etcd", e);
        }
    }

    /** Marks a start that lost a bind race, so the cluster tries again on new ports. */
    private static final class PortsTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortsTaken(EtcdStartException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public List<EtcdServer> members() {
        return members;
    }

    public EtcdServer member(int index) {
        return members.get(index);
    }

    /** Every member's client URL, in member order (what a cluster registration lists). */
    public List<String> clientUrls() {
        return members.stream().map(EtcdServer::clientUrl).toList();
    }

    /** What one running member says about itself ({@code etcdctl endpoint status}). */
    public record MemberStatus(EtcdServer member, String memberIdHex, boolean isLeader, long raftTerm) {}

    /** The status of every running member that answers within a few seconds. */
    public List<MemberStatus> statuses() {
        List<MemberStatus> statuses = new ArrayList<>();
        for (EtcdServer m : members) {
            if (!m.isRunning()) {
                continue;
            }
            Commands.Result r = Commands.run(m.etcdctlCommand("--dial-timeout", "2s", "--command-timeout", "3s",
                    "endpoint", "status", "-w", "simple"));
            if (r.exitCode() != 0) {
                continue;
            }
            // endpoint, ID, version, db size, is leader, is learner, raft term, raft index, applied index, errors
            Optional<String> line = r.output().lines().filter(l -> l.startsWith(m.clientUrl() + ",")).findFirst();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.get().split(",\\s*");
            statuses.add(new MemberStatus(m, f[1], Boolean.parseBoolean(f[4]), Long.parseLong(f[6])));
        }
        return statuses;
    }

    /** The member that leads now (of the newest term, if a deposed one still thinks it does), if any. */
    public Optional<MemberStatus> currentLeader() {
        return statuses().stream().filter(MemberStatus::isLeader).max(Comparator.comparingLong(MemberStatus::raftTerm));
    }

    /** Waits (up to {@code timeout}) until a running member leads, and returns it. */
    public MemberStatus awaitLeader(Duration timeout) {
        return Awaitility.await("a leader among the running members of " + clientUrls()).atMost(timeout)
                .pollInterval(Duration.ofMillis(200)).until(this::currentLeader, Optional::isPresent).orElseThrow();
    }

    /** The current leader (waiting up to 30 seconds for one). */
    public EtcdServer leader() {
        return awaitLeader(Duration.ofSeconds(30)).member();
    }

    /** The running members that do not lead. */
    public List<EtcdServer> followers() {
        EtcdServer leader = leader();
        return members.stream().filter(m -> m != leader && m.isRunning()).toList();
    }

    /** Runs etcdctl against every member's endpoint at once (etcdctl picks a member that answers). */
    public String etcdctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(EtcdServer.etcdctlBinary(), "--endpoints", String.join(",", clientUrls())));
        cmd.addAll(List.of(args));
        return Commands.check(cmd);
    }

    @Override
    public void close() {
        members.forEach(EtcdServer::close);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
