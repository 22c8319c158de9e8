package dev.lifeboat.snapshot.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

import dev.lifeboat.events.ClusterSpec;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;

/**
 * Asks a cluster's endpoints for their status on a fixed thread budget, whatever the input: at
 * most {@code threads} endpoints are asked at the same time across all clusters, and at most
 * {@code perCluster} of one cluster, so a cluster with many (or many dead) endpoints cannot take
 * every prober. Each ask uses a short-lived single-endpoint client (jetcd builds a Vert.x instance
 * per client) that is closed at once; the snapshot then opens one client to the chosen member.
 */
public final class ClusterProbe implements AutoCloseable {
    private final ExecutorService probers;
    private final ExecutorService callbacks;
    private final int perCluster;
    private final Duration keepaliveTime;
    private final Duration keepaliveTimeout;

    public ClusterProbe(int threads, int perCluster) {
        this(threads, perCluster, EtcdClients.KEEPALIVE_TIME, EtcdClients.KEEPALIVE_TIMEOUT);
    }

    /** @param keepaliveTime, keepaliveTimeout the gRPC keep-alive of the snapshot's own client ({@link #connect}) */
    public ClusterProbe(int threads, int perCluster, Duration keepaliveTime, Duration keepaliveTimeout) {
        this.keepaliveTime = keepaliveTime;
        this.keepaliveTimeout = keepaliveTimeout;
        this.probers = Executors.newFixedThreadPool(Math.max(1, threads), daemon("etcd-probe"));
        this.callbacks = Executors.newFixedThreadPool(2, daemon("etcd-probe-callbacks"));
        this.perCluster = Math.max(1, perCluster);
    }

    /** Who answered and who did not, and why. */
    public record Result(List<MemberStatus> reachable, Map<String, String> errors) {
        public MemberStatus chooseSource() {
            return SnapshotSourceChooser.choose(reachable, errors);
        }
    }

    /**
     * Every endpoint gets {@code memberTimeout} for connect and status; no endpoint is started
     * later than one such round per {@code perCluster} endpoints. An endpoint not asked by then is
     * an error. The set-up of a client does not count against its member's time.
     * <p>
     * One missed answer (a starved CPU, a GC pause, a TLS handshake on a loaded machine, one
     * stalled connection) is not a fault of the cluster, and calling it one would be a false alarm,
     * so at most one more round asks again, on new connections: every endpoint when no member
     * answered, and the endpoints that did not answer when those that did follow a leader that is
     * not among them (that leader can only be one of the silent endpoints). A probe therefore
     * takes at most two rounds, the bound it always had.
     */
    public Result probe(ClusterSpec spec, Duration memberTimeout) {
        Result first = round(spec.endpoints(), spec.tls(), memberTimeout);
        if (first.reachable().isEmpty()) {
            return round(spec.endpoints(), spec.tls(), memberTimeout);
        }
        if (leaderNamedButSilent(first)) {
            Result again = round(List.copyOf(first.errors().keySet()), spec.tls(), memberTimeout);
            return merged(spec.endpoints(), first, again);
        }
        return first;
    }

    /** Members answered and follow a leader, but none of them is it, and some endpoint did not answer. */
    private static boolean leaderNamedButSilent(Result r) {
        return !r.errors().isEmpty()
                && r.reachable().stream().noneMatch(MemberStatus::isLeader)
                && r.reachable().stream().anyMatch(s -> s.leaderId() != 0);
    }

    /** The first round's answers with the second's, which asked again those that had not answered. */
    private static Result merged(List<String> endpoints, Result first, Result again) {
        List<MemberStatus> reachable = new ArrayList<>();
        Map<String, String> why = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            first.reachable().stream().filter(s -> s.endpoint().equals(endpoint)).findFirst().ifPresent(reachable::add);
            again.reachable().stream().filter(s -> s.endpoint().equals(endpoint)).findFirst().ifPresent(reachable::add);
            if (again.errors().containsKey(endpoint)) {
                String before = first.errors().get(endpoint);
                String now = again.errors().get(endpoint);
                why.put(endpoint, now.equals(before) ? now + " (asked twice)" : before + "; asked again: " + now);
            }
        }
        return new Result(reachable, why);
    }

    private Result round(List<String> endpoints, ClusterSpec.TlsFiles tls, Duration memberTimeout) {
        Queue<String> todo = new ConcurrentLinkedQueue<>(endpoints);
        Map<String, MemberStatus> answers = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<String, String> errors = Collections.synchronizedMap(new LinkedHashMap<>());
        int lanes = Math.min(perCluster, endpoints.size());
        int rounds = (endpoints.size() + lanes - 1) / Math.max(1, lanes);
        // no endpoint is started after its last round would begin; an ask in progress is bounded by
        // memberTimeout plus the client's set-up, which a starved CPU can stretch: a generous wait
        long startBy = System.nanoTime() + memberTimeout.toNanos() * Math.max(1, rounds);
        long deadline = startBy + memberTimeout.toNanos() + 30_000_000_000L;
        CountDownLatch done = new CountDownLatch(lanes);
        AtomicReference<EtcdFailure> unusable = new AtomicReference<>();
        for (int i = 0; i < lanes; i++) {
            probers.execute(() -> {
                try {
                    String endpoint;
                    while (System.nanoTime() < startBy && (endpoint = todo.poll()) != null) {
                        ask(endpoint, tls, memberTimeout, answers, errors, unusable);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (unusable.get() != null) {
            throw unusable.get(); // the cluster's TLS files: no endpoint can be asked
        }
        List<MemberStatus> reachable = new ArrayList<>();
        Map<String, String> why = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            MemberStatus s = answers.get(endpoint);
            if (s != null) {
                reachable.add(s);
            } else {
                why.put(endpoint, errors.getOrDefault(endpoint, todo.contains(endpoint)
                        ? "not asked: the probe's time ran out" : "no answer in time"));
            }
        }
        return new Result(reachable, why);
    }

    /** A client bound to the chosen member, for the snapshot itself; the caller closes it. */
    public Client connect(MemberStatus member, ClusterSpec.TlsFiles tls, Duration memberTimeout) {
        return EtcdClients.forEndpoint(member.endpoint(), tls, memberTimeout, null, keepaliveTime, keepaliveTimeout);
    }

    private void ask(String endpoint, ClusterSpec.TlsFiles tls, Duration timeout, Map<String, MemberStatus> answers,
                     Map<String, String> errors, AtomicReference<EtcdFailure> unusable) {
        try (Client client = EtcdClients.forEndpoint(endpoint, tls, timeout, callbacks)) {
            StatusResponse s = client.getMaintenanceClient().statusMember(endpoint)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            answers.put(endpoint, new MemberStatus(endpoint, s.getHeader().getMemberId(), s.getLeader(),
                    s.getHeader().getRevision(), s.getRaftIndex(), s.getRaftTerm(), s.getVersion(), s.getDbSize()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.put(endpoint, "interrupted");
        } catch (ExecutionException e) {
            errors.put(endpoint, rootMessage(e.getCause()));
        } catch (TimeoutException e) {
            errors.put(endpoint, "no answer within " + timeout.toMillis() + " ms");
        } catch (EtcdFailure e) {
            errors.put(endpoint, e.getMessage());
            unusable.compareAndSet(null, e);
        } catch (RuntimeException e) {
            errors.put(endpoint, rootMessage(e));
        }
    }

    @Override
    public void close() {
        probers.shutdownNow();
        callbacks.shutdownNow();
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
